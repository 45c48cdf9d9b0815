"""python manage.py export_codings STUDY [--output FILE] [filters] [--excel]"""

from django.core.management.base import BaseCommand

from codebook.exchange.coding_rows import attribute_names, coding_rows
from codebook.exchange.codings_csv import stream_codings_csv
from codebook.exchange.study_lookup import (
    coders_named,
    codes_named,
    interviews_named,
    study_named,
)
from codebook.selection import LAYERS, filter_codings
from interviews.models import Role


class Command(BaseCommand):
    help = "Write a study's coded segments as CSV (one row per coding), to a file or stdout."

    def add_arguments(self, parser):
        parser.add_argument("study", help="the study's slug")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument(
            "--code", action="append", help="a code's path or name (with its sub-codes)"
        )
        parser.add_argument("--coder", action="append", help="a coder's user name")
        parser.add_argument("--interview", action="append", help="an interview's title")
        parser.add_argument("--layer", choices=LAYERS, help="only the consensus codings")
        parser.add_argument(
            "--excel", action="store_true", help="byte-order mark and formula neutralising"
        )

    def handle(self, *args, **options):
        study = study_named(options["study"])
        codings = filter_codings(
            study,
            None,
            Role.OWNER,
            codes=codes_named(study, options["code"]) if options["code"] else None,
            coders=coders_named(options["coder"]) if options["coder"] else None,
            interviews=(
                interviews_named(study, options["interview"]) if options["interview"] else None
            ),
            layer=options["layer"],
        )
        names = attribute_names(study)
        rows = coding_rows(study, codings, names, excel=options["excel"])
        chunks = stream_codings_csv(rows, names, excel=options["excel"])
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as output:
                output.writelines(chunks)
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
