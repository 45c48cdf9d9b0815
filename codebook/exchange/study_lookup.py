"""Resolve the names the shell commands take (study slug, code path, coder, interview title)."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from codebook.history import code_paths
from interviews.models import Study


def study_named(slug: str) -> Study:
    """Return the study with this slug, or fail with the list of known slugs."""
    study = Study.objects.filter(slug=slug).first()
    if study is None:
        known = ", ".join(Study.objects.values_list("slug", flat=True)) or "none yet"
        raise CommandError(f"No study “{slug}”. Known studies: {known}.")
    return study


def codes_named(study: Study, names: list[str]) -> list[int]:
    """Return code ids for full paths ("Lenses/Sensemaking") or names that are unique."""
    paths = code_paths(study)
    by_path = {path.casefold(): pk for pk, path in paths.items()}
    ids = []
    for name in names:
        key = name.strip().strip("/").casefold()
        if key in by_path:
            ids.append(by_path[key])
            continue
        matches = [pk for pk, path in paths.items() if path.rsplit("/", 1)[-1].casefold() == key]
        if len(matches) != 1:
            problem = "matches several codes" if matches else "is not a code of this study"
            raise CommandError(f"“{name}” {problem}: give its full path, e.g. “Parent/Child”.")
        ids.extend(matches)
    return ids


def coders_named(names: list[str]) -> list[int]:
    """Return user ids for these user names."""
    found = dict(get_user_model().objects.filter(username__in=names).values_list("username", "pk"))
    missing = [name for name in names if name not in found]
    if missing:
        raise CommandError(f"No such coder: {', '.join(missing)}.")
    return [found[name] for name in names]


def interviews_named(study: Study, titles: list[str]) -> list[int]:
    """Return interview ids for these titles."""
    found = dict(study.interviews.filter(title__in=titles).values_list("title", "pk"))
    missing = [title for title in titles if title not in found]
    if missing:
        raise CommandError(f"No such interview in “{study.slug}”: {', '.join(missing)}.")
    return [found[title] for title in titles]
