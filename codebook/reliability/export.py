"""Write the agreement table as CSV rows or JSON-ready data, for downloads and the shell."""


def _number(value) -> str:
    return "" if value is None else f"{value:.4f}"


def table_header(report) -> list[str]:
    header = ["row", "kind", "unit", "threshold", "units"]
    for name in report.rows[0].coefficients() if report.rows else []:
        header += [name, f"{name}_undefined_because"]
    return header + ["alpha_low", "alpha_high", "overlap_conflicts"]


def table_lines(report):
    """Yield one CSV line per row; an undefined figure is empty, with its reason beside it."""
    for row in report.rows:
        line = [row.label, row.kind, report.unit, report.threshold, row.units]
        for figure in row.coefficients().values():
            line += [_number(figure.value), figure.reason]
        low, high = row.interval or (None, None)
        yield line + [_number(low), _number(high), len(row.conflicts)]


def table_json(report) -> dict:
    return {
        "unit": report.unit,
        "threshold": report.threshold,
        "coders": [report.coder_labels[c] for c in report.coders],
        "rows": [
            {
                "row": row.label,
                "kind": row.kind,
                "units": row.units,
                **{
                    name: {"value": f.value, "undefined_because": f.reason or None}
                    for name, f in row.coefficients().items()
                },
                "alpha_interval": list(row.interval) if row.interval else None,
                "overlap_conflicts": len(row.conflicts),
            }
            for row in report.rows
        ],
    }
