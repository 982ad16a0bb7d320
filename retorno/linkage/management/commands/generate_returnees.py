"""`retorno generate_returnees`: synthetic returnee events with ground truth (see docs/linkage.md)."""

from dataclasses import fields
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from retorno.linkage.synthetic import CorruptionRates, generate_returnees
from retorno.linkage.synthetic_independent import IndependentRates, generate_independent

GENERATORS = {
    "project": (CorruptionRates, generate_returnees),
    "independent": (IndependentRates, generate_independent),
}


class Command(BaseCommand):
    help = (
        "Write N synthetic repatriation events of realistic Mexican returnees to a CSV in the INPUT "
        "format of `retorno link`, plus the ground-truth column true_person_id. Reproducible: the "
        "same --seed gives the same file. Corruption rates (accents, typos, nicknames, missing "
        "second surname, swapped day/month...) can be changed with --rate NAME=VALUE. "
        "--generator independent uses the second generator, written apart from the first, to "
        "judge the model on data it was not trained on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, required=True, help="number of events to write")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--out", required=True, help="output CSV path")
        parser.add_argument("--generator", choices=sorted(GENERATORS), default="project")
        names = ", ".join(f.name for f in fields(CorruptionRates))
        parser.add_argument(
            "--rate",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help=f"override a rate: {names} (other names with --generator independent)",
        )

    def handle(self, *args, events, seed, out, rate, generator="project", **options):
        if events < 1:
            raise CommandError("--events must be at least 1")
        rates_class, generate = GENERATORS[generator]
        rates = rates_class()
        valid = {f.name for f in fields(rates_class)}
        for item in rate:
            name, _, value = item.partition("=")
            try:
                number = float(value)
            except ValueError:
                number = -1.0
            if name not in valid or not 0.0 <= number <= 1.0:
                raise CommandError(
                    f"invalid --rate {item!r}: use NAME=VALUE with VALUE in [0, 1]; names: {sorted(valid)}"
                )
            setattr(rates, name, number)
        persons = generate(events=events, seed=seed, out=Path(out), rates=rates)
        self.stdout.write(f"{events} events of {persons} persons written to {out} (seed {seed})")
