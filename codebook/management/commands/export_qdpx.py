"""python manage.py export_qdpx STUDY FILE"""

from django.core.management.base import BaseCommand

from codebook.exchange.qdpx_study import write_study_qdpx
from codebook.exchange.study_lookup import study_named


class Command(BaseCommand):
    help = "Write a study as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder."

    def add_arguments(self, parser):
        parser.add_argument("study", help="the study's slug")
        parser.add_argument("file", help="the .qdpx file to write")

    def handle(self, *args, **options):
        study = study_named(options["study"])
        with open(options["file"], "wb") as output:
            write_study_qdpx(study, output)
        self.stdout.write(f"Wrote “{study.slug}” to {options['file']}.")
