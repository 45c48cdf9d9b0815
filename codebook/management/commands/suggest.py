"""python manage.py suggest STUDY [--interview TITLE] [--suggester terms|learned] [--coder USER]"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from codebook.exchange.study_lookup import study_named
from codebook.models import Suggester, SuggestionRun
from codebook.suggestion_runs import execute_run, start_run
from interviews.models import Membership, Role


class Command(BaseCommand):
    help = (
        "Suggest codings for coders to accept or reject: for each coder (default: every member "
        "who codes), over one interview or the whole study. Nothing becomes a coding here."
    )

    def add_arguments(self, parser):
        parser.add_argument("study", help="the study's slug")
        parser.add_argument("--interview", help="an interview's title (default: all)")
        parser.add_argument("--suggester", choices=Suggester.values, default=Suggester.TERMS)
        parser.add_argument("--coder", action="append", help="a coder's user name (repeatable)")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="hand the runs to the background worker instead of running them here",
        )

    def handle(self, *args, **options):
        study = study_named(options["study"])
        interview = None
        if options["interview"]:
            interview = study.interviews.filter(title=options["interview"]).first()
            if interview is None:
                raise CommandError(f"No interview titled {options['interview']!r} in {study.slug}.")
        for coder in self._coders(study, options["coder"]):
            if options["enqueue"]:
                run = start_run(study, coder, options["suggester"], interview)
                self.stdout.write(f"{coder.get_username()}: run {run.pk} queued ({run.status}).")
                continue
            run = SuggestionRun.objects.create(
                study=study, interview=interview, suggester=options["suggester"], coder=coder
            )
            execute_run(run, on_progress=self._progress)
            line = f"{coder.get_username()}: {run.suggested} suggestions ({run.status})"
            self.stdout.write(line + (f": {run.error}" if run.error else "."))

    def _progress(self, run):
        self.stderr.write(f"  {run.done}/{run.total}", ending="\r")

    def _coders(self, study, names):
        memberships = Membership.objects.filter(study=study).select_related("user")
        coders = [m.user for m in memberships if Role(m.role).can_code()]
        if not names:
            return coders
        by_name = {user.get_username(): user for user in coders}
        missing = [name for name in names if name not in by_name]
        if missing:
            User = get_user_model()
            users = User.objects.filter(username__in=missing)
            known = set(users.values_list("username", flat=True))
            raise CommandError(
                "Not a coder of this study: "
                + ", ".join(f"{n}{'' if n in known else ' (no such user)'}" for n in missing)
            )
        return [by_name[name] for name in names]
