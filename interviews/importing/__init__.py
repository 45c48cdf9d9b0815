"""Turn uploaded transcripts into normalised text and speaker turns (no ORM).

- ``readers.read_document(filename, data)`` reads one uploaded file, or raises
  ``ImportRefused`` with the one message to show the researcher.
- ``turns.detect_turns(text, cues)`` finds speaker turns; ``turns.build_transcript``
  writes the text of a caption file (VTT, SRT) from its cues.
- ``preview`` renames and merges speakers before the import is saved.
- ``attributes.parse_attribute_csv`` reads participant attributes.

Re-anchoring codings after a correction lives in ``interviews.anchoring``.
Every offset is a code-point index into the normalised text (see ``interviews.text``).
"""
