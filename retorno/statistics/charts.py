"""Server-side SVG charts (no JavaScript, no CDN): horizontal bars for breakdowns and columns for
monthly series. Hand-written because the charts are two simple shapes and the Python charting
libraries that render SVG (matplotlib, pygal) are heavy or unmaintained for this use; the output is
plain, escaped SVG inlined in the page. A value of None (suppressed) is drawn as a gap marked '*'.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#6d1a36"
MUTED = "#5f6b73"


def _fmt(value: int | float | None) -> str:
    if value is None:
        return "*"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def hbar_chart(title: str, items: list[tuple[str, int | None]], *, width: int = 560) -> SafeString:
    """Horizontal bars, one per (label, value), in the given order."""
    label_w, row_h, pad = 250, 22, 8
    height = pad * 2 + 24 + row_h * max(len(items), 1)
    top = max([v for _, v in items if v] or [1])
    plot_w = width - label_w - 70
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<text x="{pad}" y="{pad + 12}" font-size="13" font-weight="600">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(items):
        y = pad + 24 + i * row_h
        bar_w = 0 if not value else max(1, round(plot_w * value / top))
        short = label if len(label) <= 36 else label[:35] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" font-size="12" text-anchor="end">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="{row_h - 8}" fill="{BAR}">'
            f"<title>{escape(label)}: {_fmt(value)}</title></rect>"
            f'<text x="{label_w + bar_w + 4}" y="{y + 15}" font-size="12" fill="{MUTED}">{_fmt(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def column_chart(
    title: str, items: list[tuple[str, int | None]], *, width: int = 760, height: int = 240
) -> SafeString:
    """Vertical columns over time (e.g. events per month), labels under every other column."""
    pad_l, pad_b, pad_t = 48, 38, 30
    n = max(len(items), 1)
    plot_w, plot_h = width - pad_l - 10, height - pad_b - pad_t
    top = max([v for _, v in items if v] or [1])
    step = plot_w / n
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<text x="8" y="16" font-size="13" font-weight="600">{escape(title)}</text>',
        f'<line x1="{pad_l}" y1="{pad_t + plot_h}" x2="{width - 10}" y2="{pad_t + plot_h}" stroke="{MUTED}"/>',
        f'<text x="{pad_l - 6}" y="{pad_t + 8}" font-size="11" text-anchor="end" fill="{MUTED}">{_fmt(top)}</text>',
        f'<text x="{pad_l - 6}" y="{pad_t + plot_h}" font-size="11" text-anchor="end" fill="{MUTED}">0</text>',
    ]
    for i, (label, value) in enumerate(items):
        x = pad_l + i * step
        h = 0 if not value else max(1, round(plot_h * value / top))
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{pad_t + plot_h - h}" width="{step * 0.7:.1f}" height="{h}" '
            f'fill="{BAR}"><title>{escape(label)}: {_fmt(value)}</title></rect>'
        )
        if value is None:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{pad_t + plot_h - 4}" font-size="11" text-anchor="middle">*</text>'
            )
        if i % max(1, n // 12) == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{pad_t + plot_h + 16}" font-size="10" '
                f'text-anchor="middle" fill="{MUTED}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
