"""The bulletin's employment table: persons hired within the hire window of their return, by age
group and sex (statistics.bulletin suppresses small cells as for its own tables)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.employment.indicators import hires_within_window
from retorno.employment.rules import programmes
from retorno.statistics.aggregates import month_end
from retorno.statistics.registry import Filters, Period
from retorno.statistics.tables import PERSONS, Table, month_label

TABLE_KEYS = ["employment_hires"]
AGE_BANDS = [("18-29", 18, 29), ("30-44", 30, 44), ("45-59", 45, 59), ("60+", 60, 200), ("<18", 0, 17)]
SEXES = [("H", _("Hombres")), ("M", _("Mujeres"))]


def _band(age: int | None) -> str | None:
    if age is None:
        return None
    return next((key for key, low, high in AGE_BANDS if low <= age <= high), None)


def tables(*, month, audience, filters: Filters) -> list[Table]:
    if filters.state or filters.vulnerability:
        hires = []  # not supported by the employment queries (see employment.indicators)
    else:
        hires = hires_within_window(Period(month, month_end(month)), filters)
    counts: dict[tuple[str, str], set[int]] = {}
    for application, event in hires:
        if audience.points is not None and event.reception_point_id not in audience.points:
            continue
        band = _band(event.age_at_arrival)
        if band is None:
            continue
        counts.setdefault((band, application.person.sex), set()).add(application.person_id)
    rows = [b for b, _l, _h in AGE_BANDS]
    table = Table(
        "employment_hires",
        _("Personas contratadas a los %(days)s días del retorno o antes, por grupo de edad y sexo")
        % {"days": programmes().hire_window_days},
        PERSONS,
        _("Grupo de edad al retornar"),
        rows,
        rows,
        [s for s, _label in SEXES],
        [label for _s, label in SEXES],
        [[len(counts.get((band, sex), ())) for sex, _label in SEXES] for band in rows],
        timezone.now(),
        month_label(month),
        [
            _(
                "Cuenta personas contratadas en el mes (respuesta del empleador registrada por la bolsa de "
                "trabajo) cuyo último retorno fue a lo más %(days)s días antes; punto = el de ese retorno."
            )
            % {"days": programmes().hire_window_days}
        ],
    )
    return [table]
