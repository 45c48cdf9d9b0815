"""python manage.py import_study FILE [--slug NEW_SLUG]"""

from django.core.management.base import BaseCommand, CommandError

from codebook.exchange.backup import BackupError, read_backup, restore_study


class Command(BaseCommand):
    help = "Restore a study from a backup file written by export_study, as a new study."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file (JSON)")
        parser.add_argument("--slug", help="restore under this slug instead of the original one")

    def handle(self, *args, **options):
        notes: list[str] = []
        try:
            with open(options["file"], encoding="utf-8") as source:
                study = restore_study(read_backup(source), options["slug"], notes=notes)
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from error
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored “{study.slug}” ({study.title}).")
        for note in notes:
            self.stdout.write(note)
