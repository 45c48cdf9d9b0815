"""Suggest codings for interview passages: sentence candidates, indicator terms, a learned model.

Pure Python with no ORM. spaCy is imported only inside the functions that need
it, so importing this package stays cheap for the web process.
"""

from codebook.suggesting.records import CodeEntry, Segment, Suggestion, Turn

__all__ = ["CodeEntry", "Segment", "Suggestion", "Turn"]
