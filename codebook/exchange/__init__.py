"""Codebook exchange: CSV and REFI-QDA .qdc files, read and written as plain dicts.

An *entry* is a dict with ``path``, ``parent_path`` and the fields of
``codebook.snapshots.ENTRY_FIELDS``; a list of entries is in tree order (parents first).
"""
