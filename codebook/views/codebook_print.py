"""The printable codebook: every entry with counts and up to two coded quotes."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from codebook.counts import count_codings, visible_codings
from codebook.exchange.codebook_markdown import write_codebook_markdown
from codebook.history import snapshot_codebook
from interviews.access import study_for

QUOTES_PER_CODE = 2


def printable_entries(study, user, role) -> list[dict]:
    """Return the snapshot of the codebook with counts and example quotes (three queries)."""
    counts = count_codings(study, user, role)
    ranked = (
        visible_codings(study, user, role)
        .annotate(rank=Window(RowNumber(), partition_by=F("code_id"), order_by=F("pk").asc()))
        .filter(rank__lte=QUOTES_PER_CODE)
        .values("code_id", "quote", "interview__title")
    )
    quotes: dict[int, list[dict]] = {}
    for row in ranked:
        quotes.setdefault(row["code_id"], []).append(
            {"quote": row["quote"], "source": row["interview__title"]}
        )
    empty = {"codings": 0, "interviews": 0, "coders": 0}
    return [
        {**entry, "counts": counts.get(entry["id"], empty), "quotes": quotes.get(entry["id"], [])}
        for entry in snapshot_codebook(study)
    ]


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
