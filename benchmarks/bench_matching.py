"""Benchmark: match one diagnosed person against a generated directory of services.

Default: 1,000 services x 20 rules each, 500 runs. Prints p50 / p99 / max of `match()` (the pure
function the canalización page and the API call), of match + rendering the eligible services'
reasons (what a page shows), and the one-off compile time. Target: p99 under 20 ms.

    .venv/bin/python benchmarks/bench_matching.py [--services 1000] [--rules 20] [--runs 500]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
# A benchmark runs the production settings (DEBUG off): they need a secret and hosts.
os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from retorno.diagnosis.profile import Profile  # noqa: E402
from retorno.directory import catalogs  # noqa: E402
from retorno.directory.eligibility import (  # noqa: E402
    CompiledService,
    compile_rules,
    compile_service,
    match,
    rule_age,
    rule_documents,
    rule_flags_any,
    rule_flags_none,
    rule_needs,
    rule_sex,
    rule_states,
)

STATES = ["MN", "JC", "GT", "OC", "GR", "PL", "MC", "DF", "VZ", "ZS", "SP", "CH", "BC", "SR", "TS"]


def generate(n_services: int, n_rules: int, rng: random.Random, profile: Profile) -> list[CompiledService]:
    """Services with exactly `n_rules` rules each, a mix of every kind. Each rule other than the
    need rule lets the benchmark person through with probability 0.98, so about a fifth of the
    directory is eligible - the costly case, as an eligible service has all its rules evaluated."""
    needs, flags = catalogs.need_codes(), catalogs.flag_codes()
    other_flags = [f for f in flags if f not in profile.flags]
    other_states = [s for s in STATES if s != profile.destination_state]

    def passes() -> bool:
        return rng.random() < 0.98

    services = []
    for i in range(n_services):
        service_needs = rng.sample(needs, rng.randint(1, 3))
        rules = [rule_needs(service_needs)]
        while len(rules) < n_rules:
            kind, ok = rng.random(), passes()
            if kind < 0.15:
                rules.append(rule_age(18, 64) if ok else rule_age(12, 29))
            elif kind < 0.25:
                rules.append(rule_sex(["H", "M"] if ok else ["H"]))
            elif kind < 0.45:
                states = rng.sample(other_states, rng.randint(2, 10))
                rules.append(rule_states(states + [profile.destination_state] if ok else states))
            elif kind < 0.55:
                wanted = rng.sample(other_flags, rng.randint(2, 6))
                rules.append(rule_flags_any(wanted + ["woman"] if ok else wanted))
            elif kind < 0.85:
                barred = rng.sample(other_flags, rng.randint(1, 2))
                rules.append(rule_flags_none(barred if ok else barred + ["woman"]))
            else:
                rules.append(rule_documents(["curp"] if ok else ["curp", "passport"]))
        services.append(
            CompiledService(
                id=i,
                code=f"svc-{i}",
                name=f"Servicio {i}",
                institution_id=i % 40,
                response_days=rng.randint(1, 30),
                rules=compile_rules(rules),
                needs=frozenset(service_needs),
            )
        )
    return services


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--rules", type=int, default=20)
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    translation.activate("es")

    # Compile cost, measured through compile_service on model-like objects (8 rule kinds max).
    stand_ins = [
        SimpleNamespace(
            pk=i,
            code=f"s{i}",
            name=f"S{i}",
            institution_id=1,
            institution=SimpleNamespace(active=True),
            status="active",
            response_days=5,
            needs=["employment"],
            min_age=18,
            max_age=64,
            sexes=["H", "M"],
            states=STATES[:8],
            flags_any=[],
            flags_excluded=["unaccompanied_minor"],
            documents_required=["curp"],
        )
        for i in range(args.services)
    ]
    t0 = time.perf_counter()
    for s in stand_ins:
        compile_service(s)
    compile_ms = (time.perf_counter() - t0) * 1000

    profile = Profile(
        person_id=1,
        age=34,
        sex="M",
        origin_state="MN",
        destination_state="JC",
        needs={"employment", "identity_documents", "shelter", "health_care", "legal_aid"},
        flags={"woman", "family_separation", "long_us_residence"},
        documents_held={"curp", "consular_id"},
    )
    directory = generate(args.services, args.rules, rng, profile)
    match(profile, directory)  # warm-up

    match_ms, page_ms, cpu_ms = [], [], []
    result = None
    for _ in range(args.runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        result = match(profile, directory)
        t1 = time.perf_counter()
        cpu_ms.append((time.process_time() - c0) * 1000)
        texts = [m.reasons_text for m in result.eligible[:50]]  # what the page shows first
        t2 = time.perf_counter()
        match_ms.append((t1 - t0) * 1000)
        page_ms.append((t2 - t0) * 1000)
    assert texts is not None

    print(
        f"directory: {args.services} services x {args.rules} rules, compiled into "
        f"{sum(len(s.rules) for s in directory) / len(directory):.1f} checks each; "
        f"{args.runs} runs; eligible {len(result.eligible)}, excluded {len(result.excluded)}"
    )
    print(f"compile {args.services} services: {compile_ms:.1f} ms (once per directory change)")
    rows = (
        ("match() wall clock", match_ms),
        ("match() CPU time of this process", cpu_ms),
        ("match + reasons of top 50 (wall)", page_ms),
    )
    for label, values in rows:
        print(
            f"{label:<34} p50 {statistics.median(values):6.2f} ms   p99 {percentile(values, 0.99):6.2f} ms   "
            f"max {max(values):6.2f} ms"
        )
    p99 = percentile(match_ms, 0.99)
    print(f"target p99 < 20 ms (wall clock): {'OK' if p99 < 20 else 'MISSED'}")
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
