"""The monthly bulletin of repatriation events, in the layout of the UPM's "Boletín mensual de
estadísticas migratorias" (repatriation tables), built from the pre-aggregated counts.

Every table says whether it counts events or persons, carries its margins, the time its data are
true at ("datos al ..."), and, for analysts and the public, the suppression of small cells.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.core.hooks import app_modules
from retorno.reference.country import country_label
from retorno.reference.models import State
from retorno.statistics import disclosure, reintegration
from retorno.statistics.aggregates import months_back, months_between
from retorno.statistics.models import AgeBand
from retorno.statistics.registry import Filters
from retorno.statistics.selectors import Audience, aggregate_rows, counts_by, data_as_of, points_for
from retorno.statistics.services import aggregates_ensure
from retorno.statistics.tables import EVENTS, PERSONS, Table, month_label

UNKNOWN = ""  # key of "No especificado" rows and columns
UNKNOWN_LABEL = _("No especificado")
SEX_LABELS = {"H": _("Hombres"), "M": _("Mujeres")}

# Rows of the age table, in the bulletin's order: (key, label, age bands, unaccompanied).
AGE_ROWS = [
    ("18+", _("Adultos (18 años y más)"), [AgeBand.ADULT, AgeBand.OLDER], None),
    ("0-11-acc", _("Menores de 0 a 11 años acompañados"), [AgeBand.CHILD], False),
    ("0-11-unacc", _("Menores de 0 a 11 años no acompañados"), [AgeBand.CHILD], True),
    ("12-17-acc", _("Menores de 12 a 17 años acompañados"), [AgeBand.ADOLESCENT], False),
    ("12-17-unacc", _("Menores de 12 a 17 años no acompañados"), [AgeBand.ADOLESCENT], True),
    ("NE", _("Edad no especificada"), [AgeBand.UNKNOWN], None),
]
RETURN_ROWS = [(1, _("Un evento")), (2, _("Dos eventos")), (3, _("Tres eventos o más"))]

TABLE_TITLES = {
    "point_month": _("Eventos de repatriación por punto de recepción y mes"),
    "state_sex": _("Eventos de repatriación por entidad de origen y sexo"),
    "age_sex": _("Eventos de repatriación por grupo de edad, condición de acompañamiento y sexo"),
    "point_age": _("Eventos de repatriación por punto de recepción y grupo de edad"),
    "point_sex": _("Eventos de repatriación por punto de recepción y sexo"),
    "persons_returns": _("Personas repatriadas por número de eventos acumulados y sexo"),
}
TABLE_KEYS = [*TABLE_TITLES, "referrals_service", "reintegration_scores"]
# Other apps add tables (e.g. referrals by institution and outcome) in `retorno/<app>/statistics_tables.py`
# with `tables(*, month, audience, filters) -> list[Table]` of exact counts within `audience.points`;
# the bulletin suppresses them like its own.
TABLE_HOOK = "statistics_tables"


def table_keys() -> list[str]:
    """Keys of the bulletin's tables, those of other apps included."""
    extra = [getattr(m, "TABLE_KEYS", []) for m in app_modules(TABLE_HOOK)]
    return TABLE_KEYS + [k for keys in extra for k in keys]


@dataclass
class Bulletin:
    month: date
    audience: Audience
    filters: Filters
    tables: list[Table]
    as_of: datetime | None
    summary: dict

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _finish(table: Table, audience: Audience) -> Table:
    if audience.suppressed and table.cells:
        table.suppression = disclosure.suppress(table.cells)
    return table


def _sex_columns(*counts: dict) -> tuple[list, list]:
    keys = ["H", "M"]
    if any(k[-1] not in ("H", "M") and v for c in counts for k, v in c.items()):
        keys.append(UNKNOWN)
    return keys, [SEX_LABELS.get(k, UNKNOWN_LABEL) for k in keys]


def _sex_key(value: str) -> str:
    return value if value in ("H", "M") else UNKNOWN


def bulletin_build(*, month: date, audience: Audience, filters: Filters | None = None) -> Bulletin:
    """The bulletin of `month` (any day in it) for the audience, optionally narrowed by filters.

    Months never aggregated are aggregated first; others are read as last refreshed (see
    `as_of`). Raises ValueError for an unsupported vulnerability filter.
    """
    month = month.replace(day=1)
    filters = filters or Filters()
    year_months = months_between(date(month.year, 1, 1), month)
    aggregates_ensure(months=year_months)
    as_of = data_as_of(year_months[0], month)
    period = month_label(month)
    rows = aggregate_rows(first=month, last=month, audience=audience, filters=filters)
    points = list(points_for(audience))
    if filters.point:
        points = [p for p in points if p.code == filters.point]
    point_ids = [p.pk for p in points]
    point_labels = [p.name for p in points]
    tables = []

    # 1. Points x months of the year to date.
    year_rows = aggregate_rows(first=year_months[0], last=month, audience=audience, filters=filters)
    by_point_month = counts_by(year_rows, "reception_point_id", "month")
    tables.append(
        Table(
            "point_month",
            TABLE_TITLES["point_month"],
            EVENTS,
            _("Punto de recepción"),
            [p.code for p in points],
            point_labels,
            [m.isoformat()[:7] for m in year_months],
            [month_label(m) for m in year_months],
            [[by_point_month.get((pid, m), 0) for m in year_months] for pid in point_ids],
            as_of,
            f"{month_label(year_months[0])} – {period}",
        )
    )

    # 2. State of origin x sex.
    by_state_sex = counts_by(rows, "origin_state_id", "sex")
    sex_keys, sex_labels = _sex_columns(by_state_sex)
    states = list(State.objects.order_by("name"))
    state_ids = [s.pk for s in states] + [None]
    cells = [
        [
            sum(v for (sid, sx), v in by_state_sex.items() if sid == state_id and _sex_key(sx) == key)
            for key in sex_keys
        ]
        for state_id in state_ids
    ]
    tables.append(
        Table(
            "state_sex",
            country_label("origin_table", TABLE_TITLES["state_sex"]),
            EVENTS,
            country_label("origin_division", _("Entidad de origen")),
            [s.code for s in states] + [UNKNOWN],
            [s.name for s in states] + [UNKNOWN_LABEL],
            sex_keys,
            sex_labels,
            cells,
            as_of,
            period,
            [
                country_label(
                    "origin_note",
                    _("Entidad de origen declarada en el evento; si falta, entidad de nacimiento de la persona."),
                )
            ],
        )
    )

    # 3. Age group and accompaniment x sex; 4. point x the same groups.
    by_age = counts_by(rows, "age_band", "unaccompanied", "sex", "reception_point_id")

    def age_count(bands, unaccompanied, predicate) -> int:
        return sum(
            v
            for (band, unacc, sx, pid), v in by_age.items()
            if band in bands and (unaccompanied is None or unacc == unaccompanied) and predicate(sx, pid)
        )

    tables.append(
        Table(
            "age_sex",
            TABLE_TITLES["age_sex"],
            EVENTS,
            _("Grupo de edad"),
            [r[0] for r in AGE_ROWS],
            [r[1] for r in AGE_ROWS],
            sex_keys,
            sex_labels,
            [
                [age_count(bands, unacc, lambda sx, pid, k=key: _sex_key(sx) == k) for key in sex_keys]
                for _key, _label, bands, unacc in AGE_ROWS
            ],
            as_of,
            period,
            [_("Menores no acompañados: sin madre, padre ni tutor al momento de la repatriación.")],
        )
    )
    tables.append(
        Table(
            "point_age",
            TABLE_TITLES["point_age"],
            EVENTS,
            _("Punto de recepción"),
            [p.code for p in points],
            point_labels,
            [r[0] for r in AGE_ROWS],
            [r[1] for r in AGE_ROWS],
            [
                [
                    age_count(bands, unacc, lambda sx, pid, q=point_id: pid == q)
                    for _k, _l, bands, unacc in AGE_ROWS
                ]
                for point_id in point_ids
            ],
            as_of,
            period,
        )
    )

    # 5. Point x sex.
    by_point_sex = counts_by(rows, "reception_point_id", "sex")
    tables.append(
        Table(
            "point_sex",
            TABLE_TITLES["point_sex"],
            EVENTS,
            _("Punto de recepción"),
            [p.code for p in points],
            point_labels,
            sex_keys,
            sex_labels,
            [
                [
                    sum(v for (pid, sx), v in by_point_sex.items() if pid == point_id and _sex_key(sx) == k)
                    for k in sex_keys
                ]
                for point_id in point_ids
            ],
            as_of,
            period,
        )
    )

    # 6. Persons (not events) by returns to date x sex.
    by_returns = counts_by(rows.filter(last_in_month=True), "ordinal", "sex")
    tables.append(
        Table(
            "persons_returns",
            TABLE_TITLES["persons_returns"],
            PERSONS,
            _("Eventos acumulados de la persona"),
            [str(r[0]) for r in RETURN_ROWS],
            [r[1] for r in RETURN_ROWS],
            sex_keys,
            sex_labels,
            [
                [
                    sum(v for (o, sx), v in by_returns.items() if o == ordinal and _sex_key(sx) == k)
                    for k in sex_keys
                ]
                for ordinal, _label in RETURN_ROWS
            ],
            as_of,
            period,
            [
                _(
                    "Cuenta personas (no eventos) recibidas en el mes, según su número de eventos de "
                    "repatriación registrados hasta el fin del mes; los registros fusionados cuentan como una "
                    "persona, con los datos de su último evento del mes."
                )
            ],
        )
    )
    # Reintegration (referrals, follow-up surveys): read live, so true as of now.
    now = timezone.now()
    for builder in (reintegration.referral_table, reintegration.score_table):
        table = builder(month, audience, filters)
        table.as_of = now
        tables.append(table)
    for module in app_modules(TABLE_HOOK):
        tables.extend(module.tables(month=month, audience=audience, filters=filters))
    tables = [_finish(t, audience) for t in tables]
    return Bulletin(month, audience, filters, tables, as_of, _summary(rows, audience))


def _summary(rows, audience: Audience) -> dict:
    """Headline figures of the month. Under suppression a count below the threshold is None."""
    by = counts_by(rows, "ordinal", "last_in_month", "unaccompanied", "age_band", "sex", "mode")
    events = sum(by.values())
    persons = sum(v for k, v in by.items() if k[1])
    repeats = sum(v for k, v in by.items() if k[0] > 1)
    minors = sum(v for k, v in by.items() if k[3] in (AgeBand.CHILD, AgeBand.ADOLESCENT))
    unaccompanied = sum(v for k, v in by.items() if k[2])
    women = sum(v for k, v in by.items() if k[4] == "M")
    air = sum(v for k, v in by.items() if k[5] == "air")
    limit = disclosure.threshold()

    def safe(n: int) -> int | None:
        return None if audience.suppressed and 0 < n < limit else n

    def share(part: int, whole: int) -> float | None:
        if not whole or safe(part) is None or safe(whole - part) is None:
            return None
        return round(100 * part / whole, 1)

    return {
        "events": safe(events),
        "persons": safe(persons),
        "repeat_events": safe(repeats),
        "repeat_events_share": share(repeats, events),
        "minors": safe(minors),
        "unaccompanied_minors": safe(unaccompanied),
        "women_share": share(women, events),
        "air_share": share(air, events),
    }


def monthly_series(
    *, last: date, audience: Audience, filters: Filters | None = None, months: int = 24
) -> list:
    """[(month, events or None)] for the `months` months up to `last`; under suppression a count
    in 1..threshold-1 is None."""
    span = months_back(last, months)
    first, last = span[0], span[-1]
    aggregates_ensure(months=span)
    counts = counts_by(aggregate_rows(first=first, last=last, audience=audience, filters=filters), "month")
    limit = disclosure.threshold()
    series = []
    for month in span:
        n = counts.get((month,), 0)
        series.append((month, None if audience.suppressed and 0 < n < limit else n))
    return series
