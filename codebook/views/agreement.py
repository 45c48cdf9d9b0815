"""The supervisor's agreement pages: the table, its CSV downloads, disagreements and settling."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from codebook.exchange.codings_csv import stream_csv
from codebook.models import Code, Coding, Origin, Settlement
from codebook.page_revision import sent_revision
from codebook.passages import PassageRefused
from codebook.reliability.export import table_header, table_lines
from codebook.reliability.forms import AgreementForm, SettleForm
from codebook.reliability.report import (
    CONSENSUS,
    agreement_report,
    coder_labels,
    find_disagreements,
    unit_rows,
)
from codebook.reliability.settle import fingerprint, settle_disagreement
from interviews.access import study_for
from interviews.models import Role, Study

DISAGREEMENTS_PER_PAGE = 100


def _agreement_study_for(request: HttpRequest, slug: str) -> tuple[Study, Role]:
    """Return the study if the user may see agreement: 404 stranger, 403 coder while blind."""
    study, role = study_for(request, slug)
    if not role.sees_other_coders(study):
        raise PermissionDenied("While coding is blind, coders see no agreement figures.")
    return study, role


def _report_for(request: HttpRequest, study: Study, figures: bool = True):
    form = AgreementForm(study, request.GET)
    report = None
    if form.is_valid():
        data = form.cleaned_data
        report = agreement_report(
            study,
            data["coders"],
            data["interviews"],
            data["codes"],
            data["unit"],
            data["threshold"],
            data["interviewer"],
            figures=figures,
        )
    return form, report


def agreement(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = _agreement_study_for(request, slug)
    form, report = _report_for(request, study)
    context = {"study": study, "role": role, "form": form, "report": report}
    if report:
        context["query"] = form.query()
        context["overlaps"] = report.overlaps({c.pk: c.label for c in form.cleaned_data["codes"]})
        if CONSENSUS not in report.coders:
            context["with_consensus"] = form.query(coders=[*report.coders, CONSENSUS])
    template = "codebook/agreement.html"
    return render(request, template + "#results" if request.htmx else template, context)


def _csv_response(filename: str, header: list, rows, stream: bool = False) -> HttpResponse:
    """Answer with a CSV file; ``stream`` sends it as it is written (for millions of rows)."""
    content = stream_csv(header, rows)
    kind = "text/csv; charset=utf-8"
    if stream:
        response = StreamingHttpResponse(content, content_type=kind)
    else:
        response = HttpResponse("".join(content), content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def agreement_table_csv(request: HttpRequest, slug: str) -> HttpResponse:
    study, _ = _agreement_study_for(request, slug)
    form, report = _report_for(request, study)
    if report is None:
        return HttpResponse("; ".join(_errors(form)), status=400, content_type="text/plain")
    filename = f"{study.slug}-agreement-{report.unit}.csv"
    return _csv_response(filename, table_header(report), table_lines(report))


def agreement_units_csv(request: HttpRequest, slug: str) -> HttpResponse:
    study, _ = _agreement_study_for(request, slug)
    form, report = _report_for(request, study, figures=False)
    if report is None:
        return HttpResponse("; ".join(_errors(form)), status=400, content_type="text/plain")
    coders = [report.coder_labels[c] for c in report.coders]
    if report.unit in ("sentence", "turn"):
        header = ["interview", report.unit, "start", "end", "code"] + coders
    else:
        header = ["interview", "start", "end", "code", "coder"]
    codes = form.cleaned_data["codes"]
    # Units × codes: a large study's file has millions of rows.
    rows = unit_rows(report, codes)
    return _csv_response(f"{study.slug}-units-{report.unit}.csv", header, rows, stream=True)


def _errors(form) -> list[str]:
    return [error for errors in form.errors.values() for error in errors]


def _chosen_codes(request: HttpRequest, form) -> list[Code]:
    only = set(request.GET.getlist("only"))
    codes = form.cleaned_data["codes"]
    return [code for code in codes if not only or str(code.pk) in only]


def _place(disagreement) -> tuple:
    return (disagreement.interview.pk, disagreement.code.pk, disagreement.start, disagreement.end)


def disagreements(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = _agreement_study_for(request, slug)
    form, report = _report_for(request, study, figures=False)
    if report is None:
        return redirect(reverse("agreement", args=[slug]) + "?" + request.GET.urlencode())
    codes = _chosen_codes(request, form)
    found = find_disagreements(report, codes)
    settlements = Settlement.objects.filter(study=study, code__in=codes)
    settled = set(settlements.values_list("interview_id", "code_id", "start", "end"))
    # A large study has thousands: one page of them, not a page of megabytes.
    page = Paginator(found, DISAGREEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    # Who settled what is read for the page's disagreements alone.
    shown = settlements.filter(
        interview__in={d.interview.pk for d in page}, start__in={d.start for d in page}
    ).select_related("settled_by", "taken_from")
    by_place = {(s.interview_id, s.code_id, s.start, s.end): s for s in shown}
    page.object_list = [(d, by_place.get(_place(d))) for d in page]
    only = request.GET.getlist("only")
    context = {
        "study": study,
        "role": role,
        "form": form,
        "report": report,
        "codes": codes,
        "items": page.object_list,
        "page": page,
        "total": len(found),
        "settled_count": sum(1 for d in found if _place(d) in settled),
        "query": form.query(),
        "only": only,
        "page_query": urlencode([("only", o) for o in only] + [("page", page.number)]),
    }
    return render(request, "codebook/disagreements.html", context)


def _disagreement_for(request: HttpRequest, study: Study, pk: int):
    """Return the choices form, interview, code and span named in the URL, or 404.

    The figures are not computed: one disagreement needs the choices only, and the
    whole table of a large study takes seconds.
    """
    form = AgreementForm(study, request.GET)
    if not form.is_valid():
        raise Http404("Choose the coders to compare first.")
    interview = get_object_or_404(study.interviews, pk=pk)
    try:
        code = next(c for c in form.cleaned_data["codes"] if str(c.pk) == request.GET["code"])
        start, end = int(request.GET["start"]), int(request.GET["end"])
        interview.passage(start, end)
    except (KeyError, StopIteration, ValueError) as error:
        raise Http404("No such disagreement.") from error
    return form, interview, code, (start, end)


def _coder_columns(labels: dict, interview, code, span) -> tuple[list[tuple[str, list]], str]:
    """Return (coder's name, their codings of ``code`` overlapping ``span``) per compared coder,
    and the ``fingerprint`` of those codings, which the settling form sends back."""
    codings = list(
        Coding.objects.anchored()
        .filter(interview=interview, code=code, start__lt=span[1], end__gt=span[0])
        .select_related("coder")
        .order_by("start", "end")
    )
    columns, shown = [], {}
    for coder, label in labels.items():
        if coder == CONSENSUS:
            mine = [c for c in codings if c.origin == Origin.CONSENSUS]
        else:
            mine = [c for c in codings if c.coder_id == coder and c.origin != Origin.CONSENSUS]
            shown[coder] = [(c.start, c.end) for c in mine]
        columns.append((label, mine))
    return columns, fingerprint(shown)


def disagreement(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    study, role = _agreement_study_for(request, slug)
    if request.method == "POST" and not role.can_review():
        raise PermissionDenied("Only supervisors and owners settle disagreements.")
    form, interview, code, (start, end) = _disagreement_for(request, study, pk)
    coders, unit = form.cleaned_data["coders"], form.cleaned_data["unit"]
    labels = coder_labels(coders)
    # The way back names the list's code and page, so a settled item is found where it was.
    keep = {key: request.GET[key] for key in ("only", "page") if key in request.GET}
    listed_on = request.GET.get("revision")
    if listed_on and listed_on != str(interview.revision):
        # The list's positions belong to the old text: show the list made on the new one.
        messages.warning(
            request,
            f"The transcript of {interview.title} was corrected after the list was made: "
            "here are its disagreements in the new text.",
        )
        url = reverse("agreement-disagreements", args=[slug])
        return redirect(f"{url}?{form.query(**keep)}")
    settle_form = SettleForm(labels, request.POST or None, initial={"start": start, "end": end})
    if request.method == "POST" and settle_form.is_valid():
        data = settle_form.cleaned_data
        try:
            settle_disagreement(
                interview=interview,
                code=code,
                span=(start, end),
                unit=unit,
                coders=[c for c in coders if c != CONSENSUS],
                choice=data["choice"],
                taken_from=data["taken_from"],
                edited=(data["start"], data["end"]) if data["start"] is not None else None,
                note=data["note"],
                user=request.user,
                revision=sent_revision(request.POST),
                seen=request.POST.get("seen") or None,
            )
        except ValidationError as error:
            settle_form.add_error(None, error)
        except PassageRefused as error:
            settle_form.add_error(None, str(error))
        else:
            messages.success(request, f"Settled “{code.label}” in {interview.title}.")
            url = reverse("agreement-disagreements", args=[slug])
            return redirect(f"{url}?{form.query(**keep)}")
    columns, seen = _coder_columns(labels, interview, code, (start, end))
    around = (max(0, start - 300), min(len(interview.text), end + 300))
    context = {
        "study": study,
        "role": role,
        "unit": unit,
        "interview": interview,
        "code": code,
        "start": start,
        "end": end,
        "context_start": around[0],
        "before": interview.text[around[0] : start],
        "passage": interview.text[start:end],
        "after": interview.text[end : around[1]],
        "columns": columns,
        "seen": seen,
        "settle_form": settle_form,
        "settlements": Settlement.objects.filter(
            interview=interview, code=code, start=start, end=end
        ).select_related("settled_by", "taken_from"),
        "back": form.query(**keep),
    }
    return render(request, "codebook/disagreement.html", context)
