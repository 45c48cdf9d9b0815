"""Say on the admin's delete page which rows make the database refuse a delete.

References between a study's rows are database-level (see ``interviews.models``):
what was ``PROTECT`` is a ``DO_NOTHING`` foreign key, so Django no longer finds
the protecting rows itself and the database would refuse the delete at commit,
an error page. ``ListsRefusingRows`` lists those rows as "protected" instead, so
the admin explains and deletes nothing.
"""

from django.db import models
from django.utils.text import capfirst

SHOWN = 10  # rows listed per kind of reference


def refusing_rows(objs) -> list[str]:
    """Describe the rows whose ``DO_NOTHING`` foreign keys point at ``objs`` (not among them)."""
    objs = list(objs)
    if not objs:
        return []
    model = type(objs[0])
    described = []
    for relation in model._meta.related_objects:
        if relation.on_delete is not models.DO_NOTHING or relation.many_to_many:
            continue
        referencing = relation.related_model._default_manager.filter(
            **{f"{relation.field.name}__in": objs}
        )
        if relation.related_model is model:
            referencing = referencing.exclude(pk__in=[obj.pk for obj in objs])
        rows = list(referencing.order_by("pk")[: SHOWN + 1])
        name = capfirst(relation.related_model._meta.verbose_name)
        described += [f"{name}: {row}" for row in rows[:SHOWN]]
        if len(rows) > SHOWN:
            more = referencing.count() - SHOWN
            described.append(f"{name}: … and {more} more")
    return described


class ListsRefusingRows:
    """A ``ModelAdmin`` mixin: rows the database would refuse to orphan block the delete."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, [*protected, *refusing_rows(objs)]
