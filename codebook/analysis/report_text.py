"""The methods report's sentences, written from plain facts (no ORM).

``write_sections`` turns the facts into headed paragraphs; ``write_markdown``
renders those as Markdown. The HTML page renders the same sections.
"""

import re
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Facts:
    title: str
    today: date
    interviews: int = 0
    words: int = 0
    shortest: int = 0
    longest: int = 0
    first_interview: date | None = None
    last_interview: date | None = None
    languages: list[str] = field(default_factory=list)
    participants: int = 0
    attributes: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)
    blind_coding: bool = True
    coders: list[tuple[str, str, int]] = field(default_factory=list)  # name, role, codings
    consensus_codings: int = 0
    search_codings: int = 0
    first_coding: date | None = None
    last_coding: date | None = None
    only_own_codings: bool = False
    codes: list[tuple[str, str, bool]] = field(default_factory=list)  # path, definition, group
    versions: list[tuple[str, date]] = field(default_factory=list)
    agreement: list[str] = field(default_factory=list)
    agreement_hidden: bool = False
    settlements: int = 0
    settlement_choices: list[tuple[str, int]] = field(default_factory=list)
    last_settlement: date | None = None


@dataclass
class Section:
    heading: str
    paragraphs: list[str]
    items: list[str] = field(default_factory=list)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else plural_form or singular + 's'}"


def join_words(items: list[str]) -> str:
    """Join ``["a", "b", "c"]`` as "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def write_sections(facts: Facts) -> list[Section]:
    """Return the report's sections as sentences a methods section can reuse."""
    return [
        _material(facts),
        _participants(facts),
        _coding(facts),
        _codebook(facts),
        _agreement(facts),
        _settlements(facts),
    ]


def _material(facts: Facts) -> Section:
    if not facts.interviews:
        return Section("Material", ["The study has no interview transcripts yet."])
    sentences = [
        f"The material consists of {plural(facts.interviews, 'interview transcript')} "
        f"with {plural(facts.words, 'word')} in total"
        + (
            f" (from {facts.shortest:,} to {facts.longest:,} words per interview)."
            if facts.interviews > 1
            else "."
        )
    ]
    if facts.first_interview and facts.last_interview:
        if facts.first_interview == facts.last_interview:
            sentences.append(f"The interviews were held on {_day(facts.first_interview)}.")
        else:
            sentences.append(
                f"The interviews were held between {_day(facts.first_interview)} "
                f"and {_day(facts.last_interview)}."
            )
    if facts.languages:
        sentences.append(f"Language of the transcripts: {join_words(facts.languages)}.")
    return Section("Material", [" ".join(sentences)])


def _participants(facts: Facts) -> Section:
    if not facts.participants:
        return Section("Participants", ["No participants are recorded for the interviews."])
    paragraph = f"The interviews were held with {plural(facts.participants, 'participant')}."
    items = [
        f"{name}: " + join_words([f"{value or '(empty)'} ({count})" for value, count in values])
        for name, values in facts.attributes
    ]
    if items:
        paragraph += " Their recorded attributes were:"
    return Section("Participants", [paragraph], items)


def _coding(facts: Facts) -> Section:
    total = sum(count for _, _, count in facts.coders)
    if facts.only_own_codings:
        name, _, count = facts.coders[0] if facts.coders else ("you", "", 0)
        return Section(
            "Coding",
            [
                f"Coding is blind in this study, so this report counts only your own codings: "
                f"{name} made {plural(count, 'coding')}."
            ],
        )
    mode = (
        "independently, without seeing each other's codings (blind coding)"
        if facts.blind_coding
        else "with each other's codings visible"
    )
    coders = [
        f"{name} ({role.lower()}, {plural(count, 'coding')})" for name, role, count in facts.coders
    ]
    paragraph = (
        f"{plural(len(facts.coders), 'member')} coded the transcripts {mode}: "
        f"{join_words(coders)}; {plural(total, 'coding')} in total."
        if facts.coders
        else "Nobody has coded the transcripts yet."
    )
    if facts.consensus_codings:
        paragraph += (
            f" {plural(facts.consensus_codings, 'coding')} "
            f"{'forms' if facts.consensus_codings == 1 else 'form'} the consensus layer."
        )
    if facts.search_codings:
        paragraph += (
            f" {plural(facts.search_codings, 'coding')} "
            f"{'was' if facts.search_codings == 1 else 'were'} applied to the hits of a text "
            "search after their review (auto-coding)."
        )
    if facts.first_coding and facts.first_coding == facts.last_coding:
        paragraph += f" Coding took place on {_day(facts.first_coding)}."
    elif facts.first_coding and facts.last_coding:
        paragraph += (
            f" Coding took place between {_day(facts.first_coding)} and {_day(facts.last_coding)}."
        )
    return Section("Coding", [paragraph])


def _codebook(facts: Facts) -> Section:
    applicable = [code for code in facts.codes if not code[2]]
    groups = len(facts.codes) - len(applicable)
    paragraph = (
        f"The codebook holds {plural(len(applicable), 'code')}"
        + (f", arranged under {plural(groups, 'grouping code')}" if groups else "")
        + "."
    )
    if facts.versions:
        named = [f"“{name}” ({_day(created)})" for name, created in facts.versions]
        paragraph += f" It was frozen as {plural(len(facts.versions), 'version')}: "
        paragraph += join_words(named) + "."
    else:
        paragraph += " No frozen version of the codebook is recorded."
    items = [
        f"{path}: {definition or '(no definition recorded)'}" for path, definition, _ in facts.codes
    ]
    if not items:
        return Section("Codebook", [paragraph])
    return Section("Codebook", [paragraph, "The codes and their definitions:"], items)


def _agreement(facts: Facts) -> Section:
    if facts.agreement_hidden:
        return Section(
            "Agreement", ["Agreement figures are hidden from coders while coding is blind."]
        )
    if not facts.agreement:
        return Section(
            "Agreement", ["No intercoder agreement figures are recorded for this study."]
        )
    return Section("Agreement", list(facts.agreement))


def _settlements(facts: Facts) -> Section:
    if facts.agreement_hidden:
        # Settlements are not counted for a blind coder: "none" would be untrue.
        return Section(
            "Consensus", ["The consensus layer is hidden from coders while coding is blind."]
        )
    if not facts.settlements:
        return Section("Consensus", ["No disagreements have been settled into a consensus layer."])
    choices = join_words(
        [f"{label.lower()} ({count})" for label, count in facts.settlement_choices]
    )
    paragraph = (
        f"{plural(facts.settlements, 'disagreement')} between coders "
        f"{'was' if facts.settlements == 1 else 'were'} settled into the consensus layer: "
        f"{choices}."
    )
    if facts.last_settlement:
        paragraph += f" The last was settled on {_day(facts.last_settlement)}."
    return Section("Consensus", [paragraph])


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def escape_markdown(text: str) -> str:
    """Backslash the characters Markdown would read as formatting."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def write_markdown(facts: Facts, sections: list[Section]) -> str:
    """Render the sections as one Markdown document."""
    lines = [
        f"# Methods report: {escape_markdown(facts.title)}",
        "",
        f"Written by coprod on {_day(facts.today)}.",
    ]
    for section in sections:
        lines += ["", f"## {section.heading}", ""] if lines[-1] else [f"## {section.heading}", ""]
        for paragraph in section.paragraphs:
            lines += [escape_markdown(paragraph), ""]
        if section.items:
            lines += [f"- {escape_markdown(item)}" for item in section.items] + [""]
    return "\n".join(lines).rstrip() + "\n"
