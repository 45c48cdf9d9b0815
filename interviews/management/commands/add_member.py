"""Give an existing account a role in a study from the shell."""

from django.core.management.base import BaseCommand, CommandError

from interviews import members
from interviews.models import Role, Study


class Command(BaseCommand):
    help = (
        "Give an existing account (made in the administration pages or with createsuperuser) "
        "a role in a study; after that its owners manage members on the study's Members page."
    )

    def add_arguments(self, parser):
        parser.add_argument("study", help="The study's slug.")
        parser.add_argument("user", help="The account's user name or e-mail address.")
        parser.add_argument("--role", choices=Role.values, default=Role.CODER)

    def handle(self, *args, **options):
        study = Study.objects.filter(slug=options["study"]).first()
        if study is None:
            raise CommandError(f"no study with the slug {options['study']!r}")
        role = Role(options["role"])
        try:
            account = members.find_account(options["user"])
            members.add_member(study, None, account, role)
        except members.MembershipRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(f"{account.get_username()} joined {study.slug} as {role.label.lower()}.")
