"""Import transcript files into a study from the shell, one line of outcome per file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from interviews import imports
from interviews.importing.readers import ImportRefused
from interviews.models import Study


class Command(BaseCommand):
    help = (
        "Import transcripts (.txt .md .docx .odt .rtf .pdf .vtt .srt) into a study, "
        "detecting speaker turns. Each file is imported or refused on its own."
    )

    def add_arguments(self, parser):
        parser.add_argument("study", help="The study's slug.")
        parser.add_argument("files", nargs="+", help="Transcript files.")
        parser.add_argument(
            "--participant", help="Label of the participant (created if new) for every file."
        )

    def handle(self, *args, **options):
        study = Study.objects.filter(slug=options["study"]).first()
        if study is None:
            raise CommandError(f"no study with the slug {options['study']!r}")
        refused = 0
        for name in options["files"]:
            path = Path(name)
            try:
                self.import_file(study, path, options["participant"])
            except (ImportRefused, imports.TitleTaken, OSError) as problem:
                refused += 1
                message = problem.strerror if isinstance(problem, OSError) else str(problem)
                self.stdout.write(f"{name}: refused: {message}")
        if refused:
            raise CommandError(f"{refused} of {len(options['files'])} files refused")

    def import_file(self, study, path: Path, participant_label: str | None) -> None:
        result = imports.read_upload(path.name, path.read_bytes())
        turns, roles = imports.detect_speakers(result.text, result.cues)
        title = imports.title_from_filename(path.name)
        with transaction.atomic():
            participant = None
            if participant_label:
                participant = imports.participant_named(study, participant_label)
            imports.create_interview(
                study,
                title=title,
                participant=participant,
                filename=path.name,
                text=result.text,
                turns=turns,
                speaker_roles=roles,
            )
        warnings = "".join(f" (warning: {w})" for w in result.warnings)
        self.stdout.write(
            f"{path}: imported as “{title}” with {len(turns)} turn{'s' if len(turns) != 1 else ''}"
            f"{warnings}"
        )
