"""The statistical table: counts with margins, non-additive measures beside them, and what an
audience may see of it (small-cell suppression). Shared by the bulletin, the reintegration
tables, other apps' tables and the exports, so none of them imports another."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from retorno.statistics import disclosure

EVENTS = "events"
PERSONS = "persons"
UNIT_LABELS = {
    EVENTS: _("eventos de repatriación"),
    PERSONS: _("personas"),
    "referrals": _("canalizaciones"),
    "surveys": _("encuestas"),
    "grievances": _("quejas y sugerencias"),
}


def month_label(month: date) -> str:
    return formats.date_format(month, "M Y")


@dataclass
class Measure:
    """A non-additive column shown after a table's total (e.g. a median): one value per row plus
    the totals row, and the number of cases each rests on (`bases`), for disclosure control."""

    key: str
    label: str
    unit: str
    values: list[float | None]
    bases: list[int]


@dataclass
class Table:
    """A 2-D table of counts with margins. `published()` is what may be shown to the audience."""

    key: str
    title: str
    unit: str
    row_header: str
    row_keys: list
    row_labels: list
    column_keys: list
    column_labels: list
    cells: list[list[int]]
    as_of: datetime | None
    period: str
    notes: list = field(default_factory=list)
    suppression: disclosure.SuppressionResult | None = None
    measures: list[Measure] = field(default_factory=list)

    def published_measures(self) -> list[list[float | None]]:
        """Each measure's values (rows, then totals row); under suppression a value resting on
        1..threshold-1 cases is None, like a small cell."""
        limit = disclosure.threshold()
        return [
            [
                None if self.suppression is not None and 0 < n < limit else v
                for v, n in zip(m.values, m.bases, strict=True)
            ]
            for m in self.measures
        ]

    @property
    def measured_rows(self) -> list[tuple]:
        """(label, published row with its total, measure values) for each row, totals row last."""
        measures = list(zip(*self.published_measures(), strict=True)) or [()] * (len(self.row_keys) + 1)
        return [(label, row, list(m)) for (label, row), m in zip(self.labelled_rows, measures, strict=True)]

    @property
    def grid(self) -> list[list[int]]:
        """Values with margins: each row plus its total, then the column totals and grand total."""
        return disclosure.with_margins(self.cells) if self.cells else [[0] * (len(self.column_keys) + 1)]

    def published(self) -> list[list[int | None]]:
        """The grid with None where a cell is suppressed."""
        grid = self.grid
        if self.suppression is None:
            return grid
        return [
            [None if self.suppression.suppressed[r][c] else v for c, v in enumerate(row)]
            for r, row in enumerate(grid)
        ]

    @property
    def labelled_rows(self) -> list[tuple]:
        """(label, published row with its total) for each row, the totals row last."""
        return list(zip([*self.row_labels, _("Total")], self.published(), strict=True))

    @property
    def unit_label(self) -> str:
        return str(UNIT_LABELS[self.unit])

    @property
    def suppressed_count(self) -> int:
        return sum(map(sum, self.suppression.suppressed)) if self.suppression else 0

    def as_dict(self) -> dict:
        """JSON-ready form: labels, the published grid (totals last), unit and freshness."""
        return {
            "key": self.key,
            "title": str(self.title),
            "unit": self.unit,
            "unit_label": self.unit_label,
            "period": self.period,
            "data_as_of": self.as_of.isoformat() if self.as_of else None,
            "row_header": str(self.row_header),
            "rows": [
                {"key": k, "label": str(label)}
                for k, label in zip(self.row_keys, self.row_labels, strict=True)
            ],
            "columns": [
                {"key": k, "label": str(label)}
                for k, label in zip(self.column_keys, self.column_labels, strict=True)
            ],
            "values": self.published(),
            "suppressed": self.suppression is not None,
            "min_cell": disclosure.threshold() if self.suppression is not None else None,
            "notes": [str(n) for n in self.notes],
            # Non-additive columns (medians): values per row then the totals row; null = withheld.
            "measures": [
                {"key": m.key, "label": str(m.label), "unit": m.unit, "values": values}
                for m, values in zip(self.measures, self.published_measures(), strict=True)
            ],
        }
