"""python manage.py export_study STUDY FILE"""

from django.core.management.base import BaseCommand

from codebook.exchange.backup import write_backup
from codebook.exchange.study_lookup import study_named


class Command(BaseCommand):
    help = "Write a whole study (members, interviews, codebook, codings, memos) to a backup file."

    def add_arguments(self, parser):
        parser.add_argument("study", help="the study's slug")
        parser.add_argument("file", help="the backup file to write (JSON)")

    def handle(self, *args, **options):
        study = study_named(options["study"])
        with open(options["file"], "w", encoding="utf-8") as output:
            write_backup(study, output)
        self.stdout.write(f"Wrote “{study.slug}” to {options['file']}.")
