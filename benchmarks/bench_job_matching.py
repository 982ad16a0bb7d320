"""Benchmark: one returnee against 10,000 vacancies (the job bank's matching, issue 13).

Two measurements, p50 / p95 / p99 / max over `--runs` different random profiles:

1. `VacancyIndex.rank` (pure): score every vacancy, explain the 10 best fits and the 5 nearest
   misses; plus the one-off index build.
2. `selectors.matches_for_profile` end to end on a database holding the vacancies: the index's
   freshness check (one aggregate query), the ranking, and fetching the 15 vacancies shown - what
   the person page and GET /api/employment/persons/{id}/matches do.

    .venv/bin/python benchmarks/bench_job_matching.py [--vacancies 10000] [--runs 1000] [--database sqlite|postgres]

Target: p99 under 50 ms for one person against 10,000 vacancies.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench_db import start_django  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--vacancies", type=int, default=10_000)
parser.add_argument("--runs", type=int, default=1000)
parser.add_argument("--seed", type=int, default=2026)
parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
args = parser.parse_args()

start_django(args.database, "retorno_jobs_bench")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402

SKILLS = [f"habilidad {i}" for i in range(80)]
MUNICIPALITIES = [f"Municipio {i}" for i in range(12)]


def percentiles(ms: list[float]) -> str:
    ms = sorted(ms)
    q = statistics.quantiles(ms, n=100)
    return f"p50 {q[49]:6.2f} ms   p95 {q[94]:6.2f} ms   p99 {q[98]:6.2f} ms   max {ms[-1]:6.2f} ms"


def main() -> None:
    from retorno.employment.matching import ProfileFacts, VacancyIndex, place_key

    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    from retorno.directory.models import Institution
    from retorno.employment import selectors
    from retorno.employment.models import Occupation, Vacancy, WorkProfile
    from retorno.reference.models import State

    occupations = list(Occupation.objects.all())
    states = list(State.objects.filter(is_foreign=False))
    employer = Institution.objects.create(code="BENCH-EMP", name="Empleador", order="private")
    today = date.today()
    rows = []
    for i in range(args.vacancies):
        occupation = rng.choice(occupations)
        state = rng.choice(states)
        rows.append(
            Vacancy(
                identifier=f"bench-{i}",
                title=f"Vacante {i}",
                occupation=occupation,
                skills=rng.sample(SKILLS, rng.randint(0, 5)),
                english_level=rng.choices(["none", "basic", "fluent"], [6, 3, 1])[0],
                education=rng.choice(["none", "primary", "secondary", "high_school", "technical"]),
                experience_years=rng.randint(0, 4),
                state=state,
                municipality=rng.choice(MUNICIPALITIES),
                date_posted=today - timedelta(days=rng.randint(0, 60)),
                valid_through=today + timedelta(days=rng.randint(-20, 60)),
                employer=employer,
                status=rng.choices(["open", "closed"], [9, 1])[0],
            )
        )
    Vacancy.objects.bulk_create(rows, batch_size=2000)
    facts = [selectors.vacancy_facts(v) for v in Vacancy.objects.select_related("occupation", "state")]

    def profile() -> ProfileFacts:
        occupation = rng.choice(occupations)
        return ProfileFacts(
            trade=occupation.trade,
            occupation=occupation.code if rng.random() < 0.7 else "",
            skills=frozenset(place_key(s) for s in rng.sample(SKILLS, rng.randint(0, 6))),
            english=rng.choice(["none", "basic", "fluent"]),
            education=rng.choice(["primary", "secondary", "high_school", "university"]),
            experience_years=rng.randint(0, 15),
            state=rng.choice(states).code if rng.random() < 0.8 else "",
            municipality=place_key(rng.choice(MUNICIPALITIES)),
            willing_to_relocate=rng.random() < 0.3,
        )

    started = time.perf_counter()
    index = VacancyIndex(facts)
    build_ms = (time.perf_counter() - started) * 1000
    timings, eligible = [], []
    with translation.override("es"):
        for _ in range(args.runs):
            p = profile()
            t = time.perf_counter()
            fits, _misses = index.rank(p, today)
            timings.append((time.perf_counter() - t) * 1000)
            eligible.append(len(fits))
    print(f"{len(facts):,} vacancies, {args.runs:,} profiles, database {connection.vendor}")
    print(f"index build (once per change of the vacancies): {build_ms:8.1f} ms")
    print(f"VacancyIndex.rank (score all, explain 10 + 5): {percentiles(timings)}")
    print(
        f"  profiles with 10 fitting vacancies shown: {sum(1 for n in eligible if n == 10) / len(eligible):.0%}"
    )

    # End to end: the selector the page and the API call, on real model instances.
    from retorno.identity.models import Person

    person = Person.objects.create(given_names="Bench", first_surname="Persona", sex="H")
    work = WorkProfile.objects.create(person=person, trade="hospitality")
    selectors.matches_for_profile(work)  # builds the index
    timings = []
    with translation.override("es"):
        for _ in range(args.runs):
            p = profile()
            work.trade, work.english_level, work.education = p.trade, p.english, p.education
            work.experience_years, work.skills = p.experience_years, sorted(p.skills)
            work.preferred_state = next((s for s in states if s.code == p.state), None)
            work.preferred_municipality, work.willing_to_relocate = p.municipality, p.willing_to_relocate
            t = time.perf_counter()
            selectors.matches_for_profile(work)
            timings.append((time.perf_counter() - t) * 1000)
    print(f"matches_for_profile (freshness query + rank + fetch 15): {percentiles(timings)}")


if __name__ == "__main__":
    main()
