"""The bulletin's grievance table: grievances filed in the month by point and topic
(suppressed like every table)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.core.dates import local_day_start
from retorno.grievances.config import category_label, grievances_config
from retorno.grievances.models import Grievance
from retorno.statistics.aggregates import next_month
from retorno.statistics.tables import Table, month_label

TABLE_KEYS = ["grievances"]


def tables(*, month, audience, filters) -> list[Table]:
    rows = Grievance.objects.filter(
        filed_at__gte=local_day_start(month), filed_at__lt=local_day_start(next_month(month))
    )
    if audience.points is not None:
        rows = rows.filter(reception_point_id__in=audience.points)
    if filters.point:
        rows = rows.filter(reception_point__code=filters.point)
    if filters.sex or filters.state or filters.age_group or filters.vulnerability:
        rows = rows.none()  # anonymous grievances carry no person: these filters cannot apply
    counts: dict[tuple, int] = {}
    points: dict[object, str] = {}
    for point_id, point_name, category in rows.values_list(
        "reception_point_id", "reception_point__name", "category"
    ):
        points[point_id] = point_name or "—"
        counts[(point_id, category)] = counts.get((point_id, category), 0) + 1
    categories = list(grievances_config()["categories"])
    order = sorted(points, key=lambda p: points[p])
    return [
        Table(
            "grievances",
            _("Quejas, sugerencias y agradecimientos por punto de recepción y tema"),
            "grievances",
            _("Punto de recepción"),
            [str(p) for p in order],
            [points[p] for p in order],
            categories,
            [category_label(c) for c in categories],
            [[counts.get((p, c), 0) for c in categories] for p in order],
            timezone.now(),
            month_label(month),
            [_("Cuenta lo presentado en el mes en el portal y en los puntos, anónimo incluido.")],
        )
    ]
