"""Demo data for statistics: synthetic historical events so the bulletin is not trivial.

When the database holds fewer than MIN_EVENTS events, about 6,000 synthetic events of ~5,300
persons are generated over the last 18 months at the 12 points (fixed random seed; realistic
shares: mostly adult men, some women, minors 0-11 and 12-17 partly unaccompanied, origin weighted
to Michoacán, Guerrero, Oaxaca, Guanajuato...). Every synthetic record is marked
`notes="demo-synthetic"` (events; their persons are those events' persons). Then the
pre-aggregates are rebuilt. Safe to run twice.
"""

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from retorno.identity.models import Person
from retorno.reception.models import RepatriationEvent
from retorno.reference.demo_pack import demo_pack
from retorno.reference.models import ReceptionPoint, State
from retorno.statistics.aggregates import months_back
from retorno.statistics.services import aggregates_refresh

MARK = "demo-synthetic"
MIN_EVENTS = 2000
SEED = 20261024
MONTHS = 18
PERSONS = 5300



def _age(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.02:
        return rng.randint(0, 11)
    if roll < 0.065:
        return rng.randint(12, 17)
    if roll < 0.08:
        return rng.randint(60, 75)
    return int(min(59, max(18, rng.gauss(32, 9))))


def load(log: Callable[[str], None]) -> None:
    if RepatriationEvent.objects.filter(notes=MARK).exists():
        log("  statistics: synthetic events already present")
        return
    if RepatriationEvent.objects.count() >= MIN_EVENTS:
        log("  statistics: enough events, no synthetic data added")
        return
    # Shares per point and birth division, and the names, are the pack's (demo.yaml statistics).
    plan = demo_pack().get("statistics") or {}
    point_weights: dict = plan.get("points") or {}
    state_weights: dict = plan.get("origins") or {}
    given_h, given_m, surnames = plan.get("given_h"), plan.get("given_m"), plan.get("surnames")
    points = {p.code: p for p in ReceptionPoint.objects.filter(code__in=point_weights)}
    states = {s.code: s for s in State.objects.all()}
    if not points or not states or not (given_h and given_m and surnames):
        log("  statistics: reference data missing, no synthetic events")
        return
    rng = random.Random(SEED)
    tz = timezone.get_default_timezone()
    today = timezone.localdate()
    months = months_back(today, MONTHS)
    point_codes = [c for c in point_weights if c in points]
    point_w = [point_weights[c] for c in point_codes]
    state_codes = [c for c, s in states.items() if not s.is_foreign]
    state_w = [state_weights.get(c, 1) for c in state_codes]
    air_points = set(plan.get("air_points") or [])
    documents = plan.get("documents") or [[]]

    plans = []  # (person, [(arrival, age, point, origin)])
    for _n in range(PERSONS):
        sex = "M" if rng.random() < 0.12 else "H"
        age = _age(rng)
        birth = states[rng.choices(state_codes, state_w)[0]]
        returns = 1 if rng.random() < 0.85 else rng.choice([2, 2, 3, 4])
        month_ix = sorted(rng.randrange(len(months)) for _r in range(returns))
        person = Person(
            given_names=rng.choice(given_m if sex == "M" else given_h),
            first_surname=rng.choice(surnames),
            second_surname=rng.choice(surnames),
            sex=sex,
            birth_state=birth if rng.random() < 0.9 else None,
        )
        visits = []
        for ix in month_ix:
            month = months[ix]
            day = rng.randint(1, 28)
            arrival = datetime(
                month.year, month.month, day, rng.randint(6, 22), rng.randint(0, 59), tzinfo=tz
            )
            if arrival > timezone.now():
                arrival = timezone.now() - timedelta(hours=rng.randint(1, 48))
            origin = (
                birth
                if rng.random() < 0.9
                else (None if rng.random() < 0.5 else states[rng.choice(state_codes)])
            )
            visits.append((arrival, age, rng.choices(point_codes, point_w)[0], origin))
        person.birth_date = (visits[0][0] - timedelta(days=365 * age + rng.randint(1, 360))).date()
        person.refresh_keys()  # bulk_create skips save(), which keeps the matching keys
        plans.append((person, visits))
    Person.objects.bulk_create([p for p, _v in plans], batch_size=1000)

    def event(person, arrival, age, code, origin, **extra):
        return RepatriationEvent(
            person=person,
            reception_point=points[code],
            arrived_at=arrival,
            mode="air" if code in air_points else "land",
            origin_state=origin,
            destination_state=origin,
            age_at_arrival=age,
            minor=age < 18,
            status=RepatriationEvent.Status.CLOSED,
            closed_at=arrival + timedelta(hours=3),
            documents=rng.choice(documents),
            notes=MARK,
            **extra,
        )

    # Adults first: an accompanied minor travels with an adult of the same point and month.
    adults = [event(p, *v) for p, visits in plans for v in visits if v[1] >= 18]
    RepatriationEvent.objects.bulk_create(adults, batch_size=2000)
    by_point_month: dict = {}
    for adult in adults:
        by_point_month.setdefault((adult.reception_point_id, adult.arrived_at.strftime("%Y-%m")), []).append(
            adult
        )
    minors = []
    for person, visits in plans:
        for arrival, age, code, origin in visits:
            if age >= 18:
                continue
            companions = by_point_month.get((points[code].pk, arrival.strftime("%Y-%m")), [])
            if rng.random() < (0.6 if age >= 12 else 0.2) or not companions:
                minors.append(event(person, arrival, age, code, origin, unaccompanied_minor=True))
            else:
                companion = rng.choice(companions)
                minors.append(
                    event(
                        person,
                        arrival,
                        age,
                        code,
                        origin,
                        accompanied_by=companion,
                        accompanied_relationship="mother",
                    )
                )
    RepatriationEvent.objects.bulk_create(minors, batch_size=2000)
    events = adults + minors
    aggregates_refresh()
    log(f"  statistics: {len(events)} synthetic events of {len(plans)} persons over {len(months)} months")
