"""Consistency check for the coprod demo data.

Run from the repository root (or anywhere):

    python codebook/demo/check_demo.py

It verifies that
  * each transcript is UTF-8, NFC, uses ``\\n`` line ends, has 3,500-5,000
    words and consists of ``[hh:mm:ss] Speaker: text`` turns with increasing
    timestamps, the first of which (by the Interviewer) says it is fictional;
  * ``codebook.json`` is a tree of groups and leaf codes with all required
    fields, distinct colours and shortcuts, and indicator terms that occur in
    the transcripts;
  * every coding in ``codings.json`` points to an existing leaf code and quotes
    text that occurs exactly once in its transcript, inside a single manager
    turn and without the speaker label;
  * every coder has at least 45 codings per interview.

Exit status is 0 when everything passes, 1 otherwise.
"""

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRANSCRIPTS = {
    "manager_a.txt": "Manager A",
    "manager_b.txt": "Manager B",
    "manager_c.txt": "Manager C",
}
MIN_WORDS, MAX_WORDS = 3500, 5000
MIN_CODINGS = 45
LEAF_FIELDS = (
    "definition",
    "inclusion",
    "exclusion",
    "example",
    "counter_example",
    "indicator_terms",
    "colour",
    "shortcut",
)
TURN_RE = re.compile(r"^\[(\d\d):([0-5]\d):([0-5]\d)\] (Interviewer|Manager [ABC]): (\S.*)$")
HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")

errors = []


def error(message):
    errors.append(message)


def load_transcripts():
    texts = {}
    for name, speaker in TRANSCRIPTS.items():
        raw = (HERE / name).read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            error(f"{name}: not valid UTF-8 ({exc})")
            continue
        if text.startswith("\ufeff"):
            error(f"{name}: starts with a byte-order mark")
        if "\r" in text:
            error(f"{name}: contains \\r line ends")
        if unicodedata.normalize("NFC", text) != text:
            error(f"{name}: not in Unicode NFC")
        words = len(text.split())
        if not MIN_WORDS <= words <= MAX_WORDS:
            error(f"{name}: {words} words, expected {MIN_WORDS}-{MAX_WORDS}")
        paragraphs = text.rstrip("\n").split("\n\n")
        last = -1
        for index, para in enumerate(paragraphs):
            match = TURN_RE.match(para)
            if not match:
                error(f"{name}: paragraph {index + 1} is not a single speaker turn: {para[:60]!r}")
                continue
            hh, mm, ss, who, _ = match.groups()
            seconds = int(hh) * 3600 + int(mm) * 60 + int(ss)
            if seconds <= last:
                error(f"{name}: timestamp does not increase at paragraph {index + 1}")
            last = seconds
            if who not in ("Interviewer", speaker):
                error(f"{name}: unexpected speaker {who!r}")
            if index == 0 and (who != "Interviewer" or "fictional" not in para):
                error(
                    f"{name}: first turn must be the Interviewer stating the interview is fictional"
                )
        if not 40 * 60 <= last <= 60 * 60:
            error(f"{name}: last turn starts at {last // 60} min, expected 40-60")
        texts[name] = text
        print(
            f"{name}: {words} words, {len(paragraphs)} turns,",
            f"last turn at {last // 60}:{last % 60:02d}",
        )
    return texts


def load_codebook(texts):
    tree = json.loads((HERE / "codebook.json").read_text(encoding="utf-8"))
    corpus = " ".join(texts.values()).lower()
    leaves = {}
    shortcuts, colours = Counter(), Counter()

    def walk(node, prefix):
        path = f"{prefix}/{node['name']}" if prefix else node["name"]
        if not node.get("definition"):
            error(f"codebook: {path} has no definition")
        colour = node.get("colour", "")
        if not HEX_RE.match(colour):
            error(f"codebook: {path} has invalid colour {colour!r}")
        colours[colour.lower()] += 1
        children = node.get("children", [])
        if node.get("grouping_only"):
            if not children:
                error(f"codebook: group {path} has no children")
        elif not children:
            for field in LEAF_FIELDS:
                if not node.get(field):
                    error(f"codebook: leaf {path} lacks {field}")
            shortcut = node.get("shortcut", "")
            if len(shortcut) != 1:
                error(f"codebook: leaf {path} shortcut {shortcut!r} is not one character")
            shortcuts[shortcut] += 1
            terms = node.get("indicator_terms", [])
            if not 4 <= len(terms) <= 10:
                error(f"codebook: leaf {path} has {len(terms)} indicator terms, expected 4-10")
            for term in terms:
                if term != term.lower():
                    error(f"codebook: indicator term {term!r} of {path} is not lower-case")
                if term.lower() not in corpus:
                    error(f"codebook: term {term!r} of {path} does not occur in the transcripts")
            leaves[path] = node
        for child in children:
            walk(child, path)

    for top in tree:
        if not top.get("grouping_only"):
            error(f"codebook: top-level node {top.get('name')!r} should be grouping_only")
        walk(top, "")
    for key, count in list(shortcuts.items()) + list(colours.items()):
        if count > 1:
            error(f"codebook: {key!r} used {count} times (shortcuts and colours must be unique)")
    print(f"codebook.json: {len(leaves)} leaf codes")
    return leaves


def check_codings(texts, leaves):
    codings = json.loads((HERE / "codings.json").read_text(encoding="utf-8"))
    usage = Counter()
    if set(codings) != set(TRANSCRIPTS):
        error(f"codings.json: transcripts {sorted(codings)} != {sorted(TRANSCRIPTS)}")
    for name, by_coder in codings.items():
        text = texts.get(name)
        if text is None:
            continue
        speaker = TRANSCRIPTS[name]
        for coder, items in by_coder.items():
            if len(items) < MIN_CODINGS:
                error(f"{name}/{coder}: only {len(items)} codings, expected >= {MIN_CODINGS}")
            seen = set()
            for item in items:
                quote, code = item.get("quote", ""), item.get("code", "")
                label = f"{name}/{coder}: {quote[:50]!r}"
                if "memo" not in item:
                    error(f"{label}: missing memo field")
                if code not in leaves:
                    error(f"{label}: code {code!r} is not a leaf of the codebook")
                if (quote, code) in seen:
                    error(f"{label}: duplicate coding")
                seen.add((quote, code))
                usage[code] += 1
                count = text.count(quote) if quote else 0
                if count != 1:
                    error(f"{label}: occurs {count} times in the transcript, expected 1")
                    continue
                if "\n" in quote or quote != quote.strip():
                    error(f"{label}: spans paragraphs or has surrounding whitespace")
                start = text.index(quote)
                para_start = text.rfind("\n\n", 0, start)
                para_start = 0 if para_start < 0 else para_start + 2
                match = TURN_RE.match(text[para_start : text.find("\n", para_start)])
                if not match or match.group(4) != speaker:
                    error(f"{label}: not inside a {speaker} turn")
                elif start < para_start + len(match.group(0)) - len(match.group(5)):
                    error(f"{label}: includes the timestamp/speaker label")
            print(
                f"{name}/{coder}: {len(items)} codings, "
                f"{sum(1 for item in items if item.get('memo'))} with memos"
            )
    for path in leaves:
        if usage[path] < 3:
            error(f"code {path!r} used only {usage[path]} times across the study")
    print("code usage:", ", ".join(f"{path.split('/')[-1]} {usage[path]}" for path in leaves))


def main():
    texts = load_transcripts()
    leaves = load_codebook(texts)
    check_codings(texts, leaves)
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for message in errors:
            print("  -", message)
        return 1
    print("\nAll demo checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
