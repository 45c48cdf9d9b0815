"""Charts drawn on the server as SVG, without the ORM and without JavaScript.

Every label is escaped; each chart carries a ``<title>`` and a ``<desc>`` that
say in words what it shows, and the page puts the same numbers in a table.
"""

from collections.abc import Iterable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 22
LABEL_WIDTH = 260
BAR_WIDTH = 360
CELL = 34


def heat_level(value: float, highest: float, levels: int = 5) -> int:
    """Return 0 for nothing, else 1..``levels`` in proportion to ``highest``."""
    if value <= 0 or highest <= 0:
        return 0
    return max(1, min(levels, round(levels * value / highest)))


def _shorten(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


Cell = tuple[int, str, str | None, str]  # count, CSS classes, link or None, note


def table_row(header: str, cells: Iterable[Cell], last: str = "") -> str:
    """Write one row of a count table: ``header``, then per cell (count, CSS classes, link or
    None, note under the count), then ``last`` (written as it is). Everything is escaped.

    A 150-code co-occurrence table has 22,500 cells: written here in one sweep they take
    a tenth of the time the template's loop took.
    """
    parts = [f'<tr><th scope="row">{escape(header)}</th>']
    for count, classes, link, note in cells:
        text = f'<a href="{escape(link)}">{count}</a>' if link else str(count)
        if note:
            text += f"<br><small>{escape(note)}</small>"
        parts.append(f'<td class="{classes}">{text}</td>')
    parts.append(f"{last}</tr>")
    return "".join(parts)


def draw_bar_chart(
    chart_id: str, title: str, bars: Sequence[tuple[str, int]], colours: Sequence[str] = ()
) -> SafeString:
    """Draw horizontal bars, one per (label, count), longest scaled to the full width."""
    highest = max((count for _, count in bars), default=0)
    height = BAR_HEIGHT * max(len(bars), 1) + 10
    width = LABEL_WIDTH + BAR_WIDTH + 60
    summary = "; ".join(f"{label}: {count}" for label, count in bars) or "no codings"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    for index, (label, count) in enumerate(bars):
        y = 5 + index * BAR_HEIGHT
        length = round(BAR_WIDTH * count / highest) if highest else 0
        colour = colours[index] if index < len(colours) else "#4e79a7"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(_shorten(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{BAR_HEIGHT - 6}" '
            f'fill="{escape(colour)}" stroke="#333" stroke-width="0.5"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}">{count}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def draw_heat_map(
    chart_id: str, title: str, labels: Sequence[str], values: Sequence[Sequence[int]]
) -> SafeString:
    """Draw a square grid of ``values`` (rows × columns both ``labels``), darker for more."""
    size = len(labels)
    highest = max((values[r][c] for r in range(size) for c in range(size) if r != c), default=0)
    left = LABEL_WIDTH
    top = 20
    width = left + CELL * size + 20
    height = top + CELL * size + 20 + 14 * size
    pairs = [
        f"{labels[r]} with {labels[c]}: {values[r][c]}"
        for r in range(size)
        for c in range(size)
        if r < c and (values[r][c] or values[c][r])
    ]
    summary = "; ".join(pairs) if pairs else "No two codes occur together."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heat-map" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    # Each label escaped once: a 150-code map has 22,500 cells, each naming two codes.
    names = [escape(label) for label in labels]
    for r, label in enumerate(labels):
        y = top + r * CELL
        parts.append(
            f'<text x="{left - 8}" y="{y + CELL / 2 + 5}" text-anchor="end">'
            f"{escape(_shorten(label))}</text>"
        )
        for c in range(size):
            x = left + c * CELL
            value = values[r][c]
            if r == c:
                fill, ink = "#eeeeee", "#555"
            else:
                level = heat_level(value, highest)
                fill = ("#ffffff", "#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")[level]
                ink = "#fff" if level >= 5 else "#000"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{fill}" '
                f'stroke="#999" stroke-width="0.5"><title>{names[r]} with '
                f"{names[c]}: {value}</title></rect>"
                f'<text x="{x + CELL / 2}" y="{y + CELL / 2 + 5}" text-anchor="middle" '
                f'fill="{ink}">{value}</text>'
            )
    # Column labels are numbered under the grid, with a key, so long code names stay legible.
    bottom = top + CELL * size + 14
    for c in range(size):
        parts.append(
            f'<text x="{left + c * CELL + CELL / 2}" y="{bottom}" text-anchor="middle">'
            f"{c + 1}</text>"
        )
    for index, label in enumerate(labels):
        parts.append(
            f'<text x="{left}" y="{bottom + 16 + index * 14}">{index + 1}: '
            f"{escape(_shorten(label, 60))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
