"""Import interviews: upload files, adjust the speaker preview, save or discard each."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from interviews import imports
from interviews.access import study_for
from interviews.forms import SaveImportForm
from interviews.importing.readers import ImportRefused
from interviews.importing.turns import format_timestamp
from interviews.models import PendingImport, Role, SpeakerRole

STALE_AFTER = timedelta(days=1)
FIRST_TURNS = 6


def _import_study_for(request: HttpRequest, slug: str):
    return study_for(request, slug, Role.can_import)


def upload(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = _import_study_for(request, slug)
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            messages.error(request, "Choose one or more files to upload.")
        staged = []
        for upload in files:
            try:
                staged.append(imports.stage_upload(study, request.user, upload))
            except ImportRefused as refusal:
                messages.error(request, f"{upload.name}: {refusal}")
        # The fragment names the first new preview's heading, which can take the focus:
        # browsers then focus it on arrival (a fragment naming an element that cannot
        # leaves the focus nowhere).
        fragment = f"#import-{staged[0].pk}-heading" if staged else ""
        return redirect(reverse("import-interviews", args=[study.slug]) + fragment)
    PendingImport.objects.filter(study=study, created__lt=timezone.now() - STALE_AFTER).delete()
    pendings = _pending_imports(study, request.user)
    participants = list(study.participants.all())
    cards = [_card(pending, participants=participants) for pending in pendings]
    return render(request, "interviews/import.html", {"study": study, "role": role, "cards": cards})


@require_POST
def adjust(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Apply one preview decision (speakers, merge, detection, save, discard) to an upload."""
    study, role = _import_study_for(request, slug)
    pending = get_object_or_404(PendingImport, study=study, uploader=request.user, pk=pk)
    action = request.POST.get("action")
    if action == "discard":
        pending.delete()
        messages.info(request, f"{pending.filename}: discarded.")
        return redirect("import-interviews", slug=study.slug)
    if action == "save":
        return _save(request, study, role, pending)
    error = done = ""
    try:
        if action == "speakers":
            _apply_speakers(pending, request.POST)
            done = "Speaker changes applied."
        elif action == "merge":
            into = request.POST.get("into", "")
            if not into:
                raise ValueError("choose the speaker to merge into")
            speaker = request.POST.get("speaker") or None
            imports.merge(pending, speaker, into)
            done = f"Merged “{speaker or '(no speaker)'}” into “{into}”."
        elif action == "detection":
            on = request.POST.get("on") == "1"
            imports.set_detection(pending, on)
            done = f"Speaker detection turned {'on' if on else 'off'}."
        else:
            error = "Unknown action."
    except ValueError as problem:
        message = str(problem).strip("'\"")
        error = message[:1].upper() + message[1:] + "."
    if request.htmx:
        card = _card(pending, error=error, done=done)
        return render(request, "interviews/import.html#speakers", {"study": study, "card": card})
    if error:
        messages.error(request, f"{pending.filename}: {error}")
    return redirect(reverse("import-interviews", args=[study.slug]) + f"#import-{pending.pk}")


def _save(request, study, role, pending) -> HttpResponse:
    form = SaveImportForm(request.POST, study=study, auto_id=f"import-{pending.pk}-%s")
    if form.is_valid():
        participant = form.cleaned_data["participant"]
        if participant is None and form.cleaned_data["new_participant"]:
            participant = imports.participant_named(study, form.cleaned_data["new_participant"])
        try:
            interview = imports.save_as_interview(
                pending, title=form.cleaned_data["title"], participant=participant
            )
        except imports.TitleTaken as taken:
            form.add_error("title", f"{str(taken).capitalize()}: choose another title.")
        else:
            messages.success(
                request, f"Imported “{interview.title}” with {interview.turns.count()} turns."
            )
            return redirect("import-interviews", slug=study.slug)
    pendings = _pending_imports(study, request.user)
    participants = list(study.participants.all())
    cards = [
        _card(p, form=form if p.pk == pending.pk else None, participants=participants)
        for p in pendings
    ]
    return render(
        request,
        "interviews/import.html",
        {"study": study, "role": role, "cards": cards},
    )


def _pending_imports(study, user) -> list[PendingImport]:
    pendings = list(PendingImport.objects.filter(study=study, uploader=user))
    for pending in pendings:
        pending.study = study  # one query for the study, not one per card
    return pendings


def _apply_speakers(pending: PendingImport, post) -> None:
    """Apply the speaker table: roles first, then renames, in the table's order."""
    speakers = [summary.speaker for summary in imports.speakers_of(pending)]
    roles = dict(pending.speaker_roles)
    renames = []
    for index, speaker in enumerate(speakers):
        role = post.get(f"role-{index}")
        if speaker is not None and role is not None:
            roles[speaker] = role if role in SpeakerRole.values else SpeakerRole.OTHER
        new_name = " ".join(post.get(f"name-{index}", "").split())
        if new_name and new_name != speaker:
            renames.append((speaker, new_name))
    imports.set_roles(pending, roles)
    for speaker, new_name in renames:
        imports.rename(pending, speaker, new_name)


def _card(
    pending: PendingImport, form=None, error: str = "", participants=None, done: str = ""
) -> dict:
    text = pending.text
    turns = imports.turns_of(pending)
    speakers = [
        {
            "index": index,
            "name": summary.speaker,
            "turns": summary.turns,
            "words": summary.words,
            "role": pending.speaker_roles.get(summary.speaker or "", ""),
        }
        for index, summary in enumerate(imports.speakers_of(pending))
    ]
    if form is None:
        form = SaveImportForm(
            study=pending.study,
            participants=participants,
            initial={"title": imports.title_from_filename(pending.filename)},
            auto_id=f"import-{pending.pk}-%s",
        )
    return {
        "pending": pending,
        "speakers": speakers,
        "named_speakers": [s for s in speakers if s["name"] is not None],
        "first_turns": [
            (
                turn.speaker,
                None if turn.timestamp is None else format_timestamp(turn.timestamp),
                text[turn.start : turn.end][:300],
            )
            for turn in turns[:FIRST_TURNS]
        ],
        "turn_count": len(turns),
        "word_count": len(text.split()),
        "form": form,
        "error": error,
        "done": done,
        "roles": SpeakerRole.choices,
    }
