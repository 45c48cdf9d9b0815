"""Write a study's codebook as CSV or REFI-QDA .qdc, to a file or standard output."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from codebook.exchange.codebook_csv import write_codebook_csv
from codebook.exchange.entries import CodebookFileError
from codebook.exchange.qdc import write_qdc
from codebook.history import snapshot_codebook
from interviews.models import Study


class Command(BaseCommand):
    help = "Export a study's codebook as CSV or REFI-QDA .qdc."

    def add_arguments(self, parser):
        parser.add_argument("study", help="The study's slug.")
        parser.add_argument("--format", choices=["csv", "qdc"], default="csv")
        parser.add_argument("--output", help="File to write; standard output if absent.")

    def handle(self, study, format, output, **options):
        found = Study.objects.filter(slug=study).first()
        if found is None:
            raise CommandError(f"No study with the slug “{study}”.")
        snapshot = snapshot_codebook(found)
        try:
            data = (
                write_codebook_csv(snapshot).encode("utf-8")
                if format == "csv"
                else write_qdc(snapshot)
            )
        except CodebookFileError as error:
            raise CommandError(str(error)) from error
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"Wrote {len(snapshot)} codes to {output}.")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
