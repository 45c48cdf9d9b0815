"""The printable codebook: every entry with counts and up to two coded quotes."""

from django.db.models import F, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from codebook.counts import count_codings
from codebook.exchange.codebook_markdown import write_codebook_markdown
from codebook.history import snapshot_codebook
from codebook.models import Code, Coding
from interviews.access import study_for

QUOTES = 2  # per code


def printable_entries(study, user, role) -> list[dict]:
    """Return the snapshot of the codebook with counts and example quotes (four queries)."""
    counts = count_codings(study, user, role)
    chosen = Coding.objects.filter(pk__in=_first_codings(study, user, role)).values(
        "code_id", "quote", "interview__title"
    )  # in the codings' order: interview, then place in it
    quotes: dict[int, list[dict]] = {}
    for row in chosen:
        quotes.setdefault(row["code_id"], []).append(
            {"quote": row["quote"], "source": row["interview__title"]}
        )
    empty = {"codings": 0, "interviews": 0, "coders": 0}
    return [
        {**entry, "counts": counts.get(entry["id"], empty), "quotes": quotes.get(entry["id"], [])}
        for entry in snapshot_codebook(study)
    ]


def _first_codings(study, user, role) -> list[int]:
    """Return the ids of each code's first ``QUOTES`` codings the member may see (one query).

    Each code's are found through the code's own index: ranking every coding of the
    study by code (a window over 80,000 codings) took most of a second.
    """
    codings = Coding.objects.anchored().filter(interview__study=study, code=OuterRef("pk"))
    if not role.sees_other_coders(study):
        # Compared as an expression, so that SQLite does not walk the coder's index, all
        # their codings, for every code (0.4 s for a coder of the benchmark study).
        codings = codings.alias(coder_key=F("coder_id") + 0).filter(coder_key=user.pk)
    first = codings.order_by("pk").values("pk")
    places = {f"coding_{n}": Subquery(first[n : n + 1]) for n in range(QUOTES)}
    rows = Code.objects.filter(study=study).annotate(**places).values_list(*places)
    return [pk for row in rows for pk in row if pk is not None]


def printable(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    entries = printable_entries(study, request.user, role)
    return render(
        request, "codebook/print.html", {"study": study, "role": role, "entries": entries}
    )


def markdown(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    text = write_codebook_markdown(study.title, printable_entries(study, request.user, role))
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{study.slug}-codebook.md"'
    return response
