"""Write the codebook as Markdown, for the appendix of a paper. Pure."""

import re
from typing import Any

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~-])")
SECTIONS = [
    ("definition", "Definition"),
    ("inclusion", "Inclusion criteria"),
    ("exclusion", "Exclusion criteria"),
    ("example", "Typical example"),
    ("counter_example", "Counter-example"),
    ("notes", "Notes"),
]


def escape_markdown(text: str) -> str:
    """Escape what Markdown (and HTML inside it) would read as markup."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _block(text: str) -> str:
    return "\n".join(escape_markdown(line) for line in text.strip().splitlines())


def write_codebook_markdown(title: str, entries: list[dict[str, Any]]) -> str:
    """Return the Markdown text; each entry may carry ``counts`` and ``quotes``."""
    lines = [f"# Codebook: {escape_markdown(title)}", ""]
    for entry in entries:
        depth = min(entry["path"].count("/") + 2, 6)
        lines += [f"{'#' * depth} {escape_markdown(entry['path'])}", ""]
        facts = ["grouping only" if entry["grouping_only"] else "can be applied"]
        if entry.get("shortcut"):
            facts.append(f"shortcut {escape_markdown(entry['shortcut'])}")
        counts = entry.get("counts")
        if counts:
            facts.append(
                f"{counts['codings']} codings in {counts['interviews']} interviews "
                f"by {counts['coders']} coders"
            )
        lines += [f"*{'; '.join(facts)}*", ""]
        for field, label in SECTIONS:
            if entry.get(field, "").strip():
                lines += [f"**{label}.** {_block(entry[field])}", ""]
        terms = [term for term in entry.get("indicator_terms", "").splitlines() if term.strip()]
        if terms:
            lines += [f"**Indicator terms.** {', '.join(escape_markdown(t) for t in terms)}", ""]
        for quote in entry.get("quotes", []):
            lines += [f"> {_block(quote['quote'])}", f"> — {escape_markdown(quote['source'])}", ""]
    return "\n".join(lines).rstrip() + "\n"
