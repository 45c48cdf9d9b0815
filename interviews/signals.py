"""Signals that ``interviews`` sends and other apps (``codebook``) handle.

``interviews`` never imports ``codebook``; when a transcript's text changes,
whatever points into it must follow, and this is how it hears of it.
"""

from django.dispatch import Signal

# Sent inside the correction's transaction, after the new text and turns are
# stored: ``sender`` is Interview, with ``interview``, ``old_text``, ``new_text``.
# A receiver may return a ``dict`` of counts to report (e.g. {"moved": 3}).
transcript_corrected = Signal()
