"""Show agreement coefficients: three decimals, Krippendorff's thresholds, why one is missing."""

from django import template
from django.utils.html import format_html

register = template.Library()

RELIABLE, TENTATIVE = 0.800, 0.667


def reliability(value: float) -> tuple[str, str]:
    """Return (css class, words) for Krippendorff's thresholds."""
    if value >= RELIABLE:
        return "reliable", "reliable"
    if value >= TENTATIVE:
        return "tentative", "tentative"
    return "unreliable", "below .667"


@register.simple_tag
def figure_cell(figure, footnotes, rated=False, percent=False):
    """Render one table cell; an undefined figure is "—" with its reason and footnote number."""
    if figure.value is None:
        number = footnotes.index(figure.reason) + 1 if figure.reason in footnotes else ""
        return format_html(
            '<td class="undefined" title="{}">—<sup><a href="#note-{}">{}</a></sup></td>',
            figure.reason,
            number,
            number,
        )
    shown = f"{figure.value:.1%}" if percent else f"{figure.value:.3f}"
    note = format_html(' <span class="meta">({})</span>', figure.note) if figure.note else ""
    if rated:
        css, words = reliability(figure.value)
        return format_html(
            '<td class="{}">{}<span class="visually-hidden"> ({})</span>{}</td>',
            css,
            shown,
            words,
            note,
        )
    return format_html("<td>{}{}</td>", shown, note)


@register.simple_tag
def interval_cell(row, footnotes):
    if row.interval is None:
        reason = row.interval_reason or "alpha is undefined"
        number = footnotes.index(reason) + 1 if reason in footnotes else ""
        return format_html(
            '<td class="undefined" title="{}">—<sup><a href="#note-{}">{}</a></sup></td>',
            reason,
            number,
            number,
        )
    low, high = row.interval
    return format_html("<td>{} to {}</td>", f"{low:.3f}", f"{high:.3f}")
