"""A small inline SVG line chart of reintegration scores over time (no JavaScript, no CDN).

Hand-written because it is ~50 lines of SVG and a charting library would bring a bundle or a
CDN the deployment cannot rely on at a border post.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

COLORS = ["#6d1a36", "#0b6e4f", "#9a6700", "#1d2327"]
DASHES = ["", "6 3", "2 3", ""]


def line_chart(
    dates: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    title: str,
    width: int = 560,
    height: int = 220,
) -> SafeString:
    """SVG with one line per series (values 0..1, None = gap), x = the survey dates in order."""
    left, right, top, bottom = 40, 150, 20, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(dates)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - v)

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d9dee2"/><text x="{}" y="{}" font-size="10" '
        'text-anchor="end">{}</text>',
        ((left, left + plot_w, y(v), y(v), left - 4, y(v) + 3, f"{v:.2f}") for v in (0, 0.25, 0.5, 0.75, 1)),
    )
    xlabels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>',
        ((x(i), height - 10, d) for i, d in enumerate(dates)),
    )
    lines = []
    for k, (name, values) in enumerate(series):
        color, dash = COLORS[k % len(COLORS)], DASHES[k % len(DASHES)]
        points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        dots = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="3" fill="{}"/>',
            ((f"{px:.1f}", f"{py:.1f}", color) for px, py in points),
        )
        lines.append(
            format_html(
                '<g><polyline points="{}" fill="none" stroke="{}" stroke-width="{}" stroke-dasharray="{}"/>{}'
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>'
                '<text x="{}" y="{}" font-size="11">{}</text></g>',
                path,
                color,
                3 if k == len(series) - 1 else 2,
                dash,
                dots,
                left + plot_w + 10,
                left + plot_w + 30,
                top + 14 * k + 8,
                top + 14 * k + 8,
                color,
                dash,
                left + plot_w + 35,
                top + 14 * k + 12,
                name,
            )
        )
    return format_html(
        # Sized by the .line-chart class: a style attribute would need 'unsafe-inline' in the CSP.
        '<svg role="img" aria-labelledby="chart-title" viewBox="0 0 {} {}" width="100%" class="line-chart" '
        'xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{}</title>{}{}{}</svg>',
        width,
        height,
        title,
        grid,
        xlabels,
        SafeString("".join(lines)),
    )
