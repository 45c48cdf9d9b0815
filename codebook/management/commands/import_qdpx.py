"""python manage.py import_qdpx FILE --slug NEW_STUDY [--owner NAME] [--allow-missing-sources]"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from codebook.exchange.qdpx import QdpxError, read_qdpx
from codebook.exchange.qdpx_study import study_from_project
from interviews.models import Study


class Command(BaseCommand):
    help = "Import a REFI-QDA project (.qdpx, or a project.qde with its sources) as a new study."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .qdpx archive or .qde file")
        parser.add_argument("--slug", required=True, help="the new study's slug")
        parser.add_argument("--title", default="", help="the new study's title")
        parser.add_argument(
            "--owner", help="user name of the new study's owner (default: the first user)"
        )
        parser.add_argument(
            "--allow-missing-sources",
            action="store_true",
            help="import what is there when some sources' texts are missing, and list them",
        )

    def handle(self, *args, **options):
        slug = options["slug"]
        if Study.objects.filter(slug=slug).exists():
            raise CommandError(f"A study “{slug}” already exists: choose another --slug.")
        try:
            result = read_qdpx(
                options["file"], allow_missing_sources=options["allow_missing_sources"]
            )
        except QdpxError as error:
            raise CommandError(str(error)) from error
        owner = self._owner(options["owner"])
        study, warnings = study_from_project(result.project, slug, owner, options["title"])
        for warning in result.warnings + warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"Imported “{study.slug}”: {study.interviews.count()} interview(s), "
            f"{study.codes.count()} code(s)."
        )

    def _owner(self, name):
        User = get_user_model()
        if name:
            owner = User.objects.filter(username=name).first()
            if owner is None:
                raise CommandError(f"No user “{name}” to own the study.")
            return owner
        owner = User.objects.filter(is_superuser=True).order_by("pk").first()
        if owner is None:
            raise CommandError("Give --owner: there is no superuser to own the study.")
        return owner
