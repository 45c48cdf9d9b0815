"""Whole-study backup and restore, table by table, portable between SQLite and PostgreSQL.

The file is JSON: for each table of ``BACKUP_TABLES`` its field names and its
rows. Primary keys are renumbered 1, 2, 3... per table in the file, and
foreign keys point at those numbers (users are referred to by user name), so a
backup does not depend on the ids of the database it came from. Restoring
inserts the rows in file order with ``save_base(raw=True)``, which keeps
``created``/``updated`` exactly as they were.

A model added later that belongs to a study goes into ``BACKUP_TABLES`` (one
line: the model and the lookup from it to its study), or, if it is no part of the
study's record, into ``LEFT_OUT_TABLES`` with why; ``tests/test_it_backs_up_a_study.py``
fails while a model pointing at a study's rows is in neither.
"""

import base64
import datetime
import json
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import batched
from typing import IO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, models, transaction
from django.db.models.signals import pre_save

from codebook.exchange.attribute_names import NameMerge, merge_names_differing_in_case
from codebook.exchange.backup_file import (
    FORMAT,
    VERSION,
    Backup,
    BackupError,
    backup_of,
    read_backup_file,
)
from codebook.exchange.snapshot import read_snapshot


@dataclass(frozen=True)
class Table:
    """One model carried by the backup and how its rows are reached from the study."""

    label: str  # "app_label.ModelName"
    study_lookup: str  # the filter path from a row to its study ("pk" for the study itself)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


# Parents before children: a row's foreign keys point at rows already restored.
BACKUP_TABLES = [
    Table("interviews.Study", "pk"),
    Table("interviews.Membership", "study"),
    Table("interviews.Participant", "study"),
    Table("interviews.ParticipantAttribute", "participant__study"),
    Table("interviews.Interview", "study"),
    Table("interviews.Turn", "interview__study"),
    Table("interviews.InterviewRevision", "interview__study"),
    Table("interviews.PendingImport", "study"),
    Table("codebook.Code", "study"),
    Table("codebook.Coding", "interview__study"),
    Table("codebook.Memo", "study"),
    Table("codebook.CodebookChange", "study"),
    Table("codebook.CodebookVersion", "study"),
    Table("codebook.Settlement", "study"),
    Table("codebook.SettlementCoding", "settlement__study"),
    Table("codebook.SentenceCache", "interview__study"),
    Table("codebook.SuggestionRun", "study"),
    Table("codebook.Suggestion", "interview__study"),
]
# Models that belong to a study but stay out of its backup, each with why. A file that
# still holds one of their tables (written before it was left out) restores without it.
LEFT_OUT_TABLES = {
    # Undo steps are a coder's working aid on one database, not part of the study's record.
    # Their states name codings, codes and suggestions by primary key, and undoing a deletion
    # brings the coding back under its old key: a restore gives every row a new key and cannot
    # keep a deleted coding's key free, so carried steps would replay onto another study's rows.
    "codebook.CodingAction": "undo history",
    # Made from the study's codings and trained again on the next learned run. The model
    # knows codes by their keys inside its weights, which a restore cannot renumber.
    "codebook.LearnedModel": "learned suggestion models",
    # Computed again with "Evaluate"; its figures are keyed by the codes' keys.
    "codebook.SuggestionQuality": "suggestion quality figures",
}


def _version_code_keys(snapshot, key_of):
    """A frozen codebook version's entries with each code's key given by ``key_of``."""
    return [{**entry, "id": key_of(entry.get("id"))} for entry in snapshot]


# JSON values that name rows of another table by key. The file names those rows by their
# number, as it does in foreign keys, so that a restore can point them at the new rows:
# (table, field) -> (the table named, how to rewrite the keys in a value).
KEYS_IN_VALUES = {
    ("codebook.CodebookVersion", "snapshot"): ("codebook.Code", _version_code_keys),
}
USER_FIELDS = ["username", "first_name", "last_name", "email"]
# Rows read from the database, and written out, at a time: memory stays flat with the study's size.
CHUNK_ROWS = 2_000


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _encode(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        # BinaryField.to_python reads base64 text back when restoring.
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _tree_field(model: type[models.Model]) -> models.Field | None:
    """The field by which ``model``'s rows point at a parent row of the same table (codes)."""
    return next(
        (field for field in _fields(model) if field.is_relation and field.related_model is model),
        None,
    )


def _tree_order(rows: list[tuple], parent: int) -> list[tuple]:
    """Order rows ``(pk, ...)`` of a self-referencing table: every parent before its children.

    ``parent`` is the position of the parent's pk in a row.
    """
    by_pk = {row[0]: row for row in rows}

    def depth(row) -> int:
        level, parent_id = 0, row[parent]
        while parent_id is not None:
            level, parent_id = level + 1, by_pk[parent_id][parent]
        return level

    return sorted(rows, key=lambda row: (depth(row), row[0]))


class _LocalIds:
    """A table's row pk → its number in the file (1, 2, 3...), kept only for tables others point at.

    Rows read in pk order are numbered by their rank, so a sorted array of their
    pks (8 bytes a row) replaces a dict (about 100 bytes a row); a table read in
    another order (the code tree) keeps a dict: it is small.
    """

    def __init__(self, in_pk_order: bool):
        self._pks = array("q") if in_pk_order else None
        self._numbers: dict[int, int] = {}

    def add(self, pk: int) -> None:
        if self._pks is not None:
            self._pks.append(pk)
        else:
            self._numbers[pk] = len(self._numbers) + 1

    def __getitem__(self, pk: int) -> int:
        if self._pks is None:
            return self._numbers[pk]
        index = bisect_left(self._pks, pk)
        if index == len(self._pks) or self._pks[index] != pk:
            raise KeyError(pk)
        return index + 1


def _pointed_at() -> set[type[models.Model]]:
    """The models whose rows later tables refer to: only their local ids need keeping."""
    return {
        field.related_model
        for table in BACKUP_TABLES
        for field in _fields(table.model)
        if field.is_relation
    }


def _study_tables(study, usernames: set[str]) -> Iterator[tuple[str, list[str], Iterator[list]]]:
    """Yield each table's label, field names and a lazy iterator of its encoded rows.

    A table's rows must be consumed before the next table is asked for: later
    tables' foreign keys are numbered from the local ids its rows record.
    User names met on the way are added to ``usernames``.
    """
    User = get_user_model()
    user_names: dict[int, str] = {}
    local_ids: dict[type, _LocalIds] = {}
    pointed_at = _pointed_at()
    for table in BACKUP_TABLES:
        model = table.model
        fields = _fields(model)
        rows = (
            model._default_manager.filter(**{table.study_lookup: study.pk})
            .order_by("pk")
            .values_list("pk", *(field.attname for field in fields))
        )
        tree_field = _tree_field(model)
        if tree_field is not None:
            # Parents first; a code tree is small enough to hold.
            rows = _tree_order(list(rows), 1 + fields.index(tree_field))
        else:
            rows = rows.iterator(chunk_size=CHUNK_ROWS)
        ids = _LocalIds(in_pk_order=tree_field is None) if model in pointed_at else None
        if ids is not None:
            local_ids[model] = ids

        def encoded(rows=rows, fields=fields, ids=ids, label=table.label):
            for pk, *values in rows:
                if ids is not None:
                    ids.add(pk)
                for index, (field, value) in enumerate(zip(fields, values, strict=True)):
                    keys_in_value = KEYS_IN_VALUES.get((label, field.name))
                    if keys_in_value is not None and value is not None:
                        named, rewrite = keys_in_value
                        # A row deleted since (a code gone after the version) has no number.
                        numbers = local_ids[apps.get_model(named)]
                        value = rewrite(value, lambda pk, ids=numbers: _number_or_none(ids, pk))
                    if field.is_relation and value is not None:
                        target = field.related_model
                        if target is User:
                            if value not in user_names:
                                user_names[value] = User.objects.get(pk=value).get_username()
                            value = user_names[value]
                            usernames.add(value)
                        elif target in local_ids:
                            value = local_ids[target][value]
                        else:
                            raise BackupError(f"{label}.{field.name} points outside the backup.")
                    values[index] = _encode(value)
                yield values

        yield table.label, [field.name for field in fields], encoded()


def _number_or_none(numbers: "_LocalIds", pk) -> int | None:
    try:
        return numbers[pk]
    except KeyError:
        return None


def _users(usernames: set[str]) -> dict:
    User = get_user_model()
    rows = [
        [getattr(user, name) for name in USER_FIELDS]
        for user in User.objects.filter(username__in=usernames).order_by("username")
    ]
    return {"fields": USER_FIELDS, "rows": rows}


def dump_study(study) -> dict:
    """Return every row of the study as a JSON-ready dict (all in memory: for tests)."""
    usernames: set[str] = set()
    with read_snapshot():
        tables = [
            {"model": label, "fields": fields, "rows": list(rows)}
            for label, fields, rows in _study_tables(study, usernames)
        ]
        users = _users(usernames)
    return {**_header(study), "tables": tables, "users": users}


def _header(study) -> dict:
    return {"format": FORMAT, "version": VERSION, "study": study.slug}


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def iter_backup(study) -> Iterator[str]:
    """Yield the study's backup as JSON text: one row a line, ``CHUNK_ROWS`` rows a piece.

    The document is the one ``dump_study`` returns; "users" comes last because
    the user names are only known once every table has been read. Every table is
    read in one snapshot: coders working during a long download change nothing in it.
    """
    usernames: set[str] = set()
    yield _json(_header(study))[:-1] + ',\n"tables": ['
    with read_snapshot():
        for number, (label, fields, rows) in enumerate(_study_tables(study, usernames)):
            yield (",\n" if number else "\n") + _json({"model": label, "fields": fields})[:-1]
            yield ', "rows": ['
            separator = "\n"
            for chunk in batched(rows, CHUNK_ROWS):
                yield separator + ",\n".join(map(_json, chunk))
                separator = ",\n"
            yield "]}"
        users = _users(usernames)
    yield '\n],\n"users": ' + _json(users) + "}\n"


def write_backup(study, output: IO[str]) -> None:
    """Write the study's backup as JSON to a text stream, a chunk of rows at a time."""
    for piece in iter_backup(study):
        output.write(piece)


def read_backup(source: IO) -> Backup:
    """Check a backup file and return it, ready to restore; raise BackupError otherwise.

    A file as ``iter_backup`` writes it is read as a stream (``backup_file``), twice:
    now, and row by row while ``restore_study`` restores it, so keep it open until then.
    """
    return read_backup_file(source, _known_tables())


def _known_tables() -> set[str]:
    return {table.label for table in BACKUP_TABLES} | set(LEFT_OUT_TABLES)


def restore_study(backup: Backup | dict, slug: str | None = None, *, notes: list | None = None):
    """Create the study of a backup (under ``slug`` if given) with all its rows; return it.

    ``backup`` comes from ``read_backup``, or is a document as ``dump_study`` returns it.
    Users are matched by user name; missing ones are created without a usable
    password. Everything happens in one transaction: a failure leaves nothing.
    Rows that today's rules no longer allow are fitted to them as the migrations fitted
    existing databases (``_fit_rows``); ``notes`` gets a sentence for the user about each.
    """
    from interviews.models import Study

    if isinstance(backup, dict):
        backup = backup_of(backup, _known_tables())
    slug = slug or backup.study
    if Study.objects.filter(slug=slug).exists():
        raise BackupError(f"A study “{slug}” already exists: restore it under another name.")
    User = get_user_model()
    try:
        with transaction.atomic():
            users = _restore_users(backup.users)
            local_ids: dict[type, _RestoredIds] = {}
            fitted: list[NameMerge] = []
            study = None
            for table in backup.tables():
                if table.model in LEFT_OUT_TABLES:
                    continue  # its rows are passed over unread
                model = apps.get_model(table.model)
                ids = local_ids.setdefault(model, _RestoredIds())
                fields = [model._meta.get_field(name) for name in table.fields]
                rewrites = _key_rewrites(table.model, fields, local_ids, backup.version)
                file_rows, became = _fit_rows(table, fitted)
                # A fitted table's file numbers go through the rows they became.
                inserted = _RestoredIds() if became is not None else ids
                for chunk in batched(file_rows, _rows_per_insert(model)):
                    rows = []
                    for values in chunk:
                        row = model()
                        for field, value in zip(fields, values, strict=True):
                            if field.is_relation and value is not None:
                                if field.related_model is User:
                                    value = users[value]
                                else:
                                    value = local_ids[field.related_model][value]
                            elif value is not None:
                                value = field.to_python(value)
                                if field.name in rewrites:
                                    value = rewrites[field.name](value)
                            setattr(row, field.attname, value)
                        if model is Study:
                            row.slug = slug
                            study = row
                        rows.append(row)
                    _insert_as_they_are(model, rows)
                    inserted.extend(row.pk for row in rows)
                if became is not None:
                    ids.extend(inserted[index + 1] for index in became)
            if notes is not None:
                notes.extend(_fitted_notes(fitted, local_ids))
    except BackupError:
        raise
    except (KeyError, ValueError, TypeError, LookupError) as error:
        raise BackupError(f"This backup is damaged and was not restored ({error!r}).") from error
    except DatabaseError as error:  # the database refused a row: say which rule
        raise BackupError(
            f"The database refused this backup, nothing was restored: {error}"
        ) from error
    return study


def _fit_rows(table, fitted: list[NameMerge]) -> tuple[Iterable[list], list[int] | None]:
    """Return a table's rows fitted to today's rules, and the row each file row became.

    Only participant attributes need it (names differing only in case, before migration
    interviews 0005): their table is read whole, as it is small. Any other table's rows
    stream through untouched (None: each file row is its own).
    """
    if table.model != "interviews.ParticipantAttribute":
        return table.rows, None
    at = [table.fields.index(name) for name in ("participant", "name", "value")]
    rows, became, merges = merge_names_differing_in_case(list(table.rows), *at)
    fitted.extend(merges)
    return rows, became


def _fitted_notes(fitted: list[NameMerge], local_ids: dict) -> list[str]:
    """Say what ``_fit_rows`` changed, naming the restored participants by label."""
    if not fitted:
        return []
    from interviews.models import Participant

    restored = local_ids[Participant]
    numbers = {number for merge in fitted for number in merge.participants}
    pks = {restored[number]: number for number in numbers}
    labels = Participant.objects.filter(pk__in=pks).values_list("pk", "label")
    label_of = {pks[pk]: label for pk, label in labels}
    return [merge.describe(label_of) for merge in fitted]


def _key_rewrites(label: str, fields, local_ids: dict, version: int) -> dict:
    """For the fields of ``label`` that name rows inside their values: how to point them anew."""
    rewrites = {}
    for field in fields:
        if (label, field.name) not in KEYS_IN_VALUES:
            continue
        named, rewrite = KEYS_IN_VALUES[(label, field.name)]
        if version < 2:  # keys of the old database: they name nothing here
            rewrites[field.name] = lambda value, rewrite=rewrite: rewrite(value, lambda _: None)
            continue
        restored = local_ids[apps.get_model(named)]
        rewrites[field.name] = lambda value, rewrite=rewrite, restored=restored: rewrite(
            value, lambda number: None if number is None else restored[number]
        )
    return rewrites


class _RestoredIds:
    """A table's row numbers in the file (1, 2, 3...) → the pks the restored rows got."""

    def __init__(self) -> None:
        self._pks = array("q")

    def extend(self, pks: Iterable[int]) -> None:
        self._pks.extend(pks)

    def __getitem__(self, number: int) -> int:
        # A number the file never gave a row (0, negative, past the end, not a whole number)
        # is damage, not an index from the end.
        if type(number) is not int or not 1 <= number <= len(self._pks):
            raise KeyError(number)
        return self._pks[number - 1]


def _rows_per_insert(model: type[models.Model]) -> int:
    """How many rows of ``model`` one INSERT restores: many, unless a row needs its own save.

    A row pointing at another row of its own table (a code's parent) needs that row's
    new pk first; a model with ``pre_save`` receivers (``Interview`` counts its text's
    length) needs them to run; and a database that cannot return the pks of a
    many-row INSERT gets one row at a time.
    """
    features = connection.features
    if (
        not features.can_return_rows_from_bulk_insert
        or pre_save.has_listeners(model)
        or _tree_field(model) is not None
    ):
        return 1
    return max(
        1, min(CHUNK_ROWS, connection.ops.bulk_batch_size(_fields(model), [None] * CHUNK_ROWS))
    )


def _insert_as_they_are(model: type[models.Model], rows: list[models.Model]) -> None:
    """Insert the rows with every value as restored, and set their new pks.

    ``bulk_create`` would stamp ``created`` and ``updated`` anew (``auto_now``); a raw
    insert, as ``save_base(raw=True)`` makes for one row, keeps them. Many rows go to one
    statement through the manager's ``_insert``, which is what ``bulk_create`` itself
    calls; ``post_save`` receivers are not sent, as the only one (retraining after new
    codings) ignores raw saves.
    """
    if len(rows) == 1:
        rows[0].save_base(raw=True)
        return
    meta = model._meta
    returned = model._base_manager._insert(
        rows, fields=_fields(model), returning_fields=[meta.pk], raw=True
    )
    for row, (pk,) in zip(rows, returned, strict=True):
        row.pk = pk
        row._state.adding = False


def _restore_users(users: dict) -> dict[str, int]:
    User = get_user_model()
    fields = users["fields"]
    ids = {}
    for values in users["rows"]:
        record = dict(zip(fields, values, strict=True))
        user = User.objects.filter(username=record["username"]).first()
        if user is None:
            user = User(**record)
            user.set_unusable_password()
            user.save()
        ids[user.get_username()] = user.pk
    return ids
