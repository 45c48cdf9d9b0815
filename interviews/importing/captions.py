"""Read WebVTT and SRT caption files into cues and a transcript text.

A cue's speaker comes from a WebVTT voice tag (``<v Jane Doe>``), or else from a
``Name:`` label at the start of its text, under the same rules as turn detection.
A cue with several voices becomes one cue per voice. Other tags are dropped and
the lines of a cue are joined with spaces. The text is written by
``turns.build_transcript``, one ``[HH:MM:SS] Speaker: text`` line per run of cues.
"""

import html
import re

import srt

from interviews.importing.common import (
    Cue,
    ImportRefused,
    ReadResult,
    decode_text,
    tidy_text,
)
from interviews.importing.turns import build_transcript, split_speaker_label

_VTT_TIME = r"(?:(\d+):)?([0-5]\d):([0-5]\d)[.,](\d{3})"
_VTT_TIMING = re.compile(rf"\s*{_VTT_TIME}\s+-->\s+{_VTT_TIME}(?:\s.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>")
_TAG = re.compile(r"<[^>]*>")
_SRT_STYLE = re.compile(r"\{\\[^}]*\}")


def read_vtt(data: bytes) -> ReadResult:
    """Read a WebVTT file's cues, their times and their voices."""
    text, warnings = decode_text(data)
    lines = tidy_text(text).split("\n")
    if not lines[0].startswith("WEBVTT"):
        raise ImportRefused("corrupt VTT file: it must start with WEBVTT")
    cues: list[Cue] = []
    skipped = 0
    header_end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    for block in _blocks(lines[header_end:]):
        if block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_at = 0 if "-->" in block[0] else 1
        timing = _VTT_TIMING.match(block[timing_at]) if len(block) > timing_at else None
        if timing is None:
            skipped += 1
            continue
        start = _seconds(*timing.groups()[:4])
        cues.extend(_voiced_cues(start, " ".join(block[timing_at + 1 :])))
    if skipped:
        warnings.append(f"skipped {skipped} block(s) that are not cues")
    return _result(cues, warnings)


def read_srt(data: bytes) -> ReadResult:
    """Read an SRT file's subtitles, their times and ``Name:`` speaker labels."""
    text, warnings = decode_text(data)
    text = tidy_text(text)
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError:
        try:
            subtitles = list(srt.parse(text, ignore_errors=True))
        except Exception:  # noqa: BLE001 (a broken file can fail in any way)
            subtitles = []
        if not subtitles:
            raise ImportRefused("corrupt SRT file: no subtitles could be read from it") from None
        warnings.append("parts of the SRT file could not be read and were skipped")
    cues = []
    for subtitle in subtitles:
        content = _clean(_SRT_STYLE.sub("", subtitle.content))
        speaker, spoken = split_speaker_label(content)
        if spoken:
            cues.append(Cue(subtitle.start.total_seconds(), speaker, spoken))
    return _result(cues, warnings)


def _result(cues: list[Cue], warnings: list[str]) -> ReadResult:
    if not cues:
        raise ImportRefused("no text to import: the file has no captions")
    text, _ = build_transcript(cues)
    return ReadResult(text, warnings, cues)


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _voiced_cues(start: float, payload: str) -> list[Cue]:
    voices = list(_VOICE.finditer(payload))
    if not voices:
        speaker, spoken = split_speaker_label(_clean(payload))
        return [Cue(start, speaker, spoken)] if spoken else []
    cues = []
    before = _clean(payload[: voices[0].start()])
    if before:
        cues.append(Cue(start, None, before))
    for voice, following in zip(voices, [*voices[1:], None], strict=True):
        end = following.start() if following else len(payload)
        spoken = _clean(payload[voice.end() : end])
        speaker = " ".join(html.unescape(voice.group(1) or "").split()) or None
        if spoken:
            cues.append(Cue(start, speaker, spoken))
    return cues


def _clean(payload: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", payload)).split())
