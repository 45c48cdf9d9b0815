"""Load the fictional demo study (slug ``demo``) once; a second run changes nothing."""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from codebook.models import Code, Coding, Origin
from interviews.importing.turns import detect_turns
from interviews.models import (
    Interview,
    Membership,
    Participant,
    ParticipantAttribute,
    Role,
    SpeakerRole,
    Study,
    Turn,
)

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_PASSWORD = "coprod-demo"
DEMO_USERS = [
    ("owner", Role.OWNER),
    ("supervisor", Role.SUPERVISOR),
    ("coder1", Role.CODER),
    ("coder2", Role.CODER),
]
PARTICIPANTS = [
    {
        "file": "manager_a.txt",
        "title": "Interview with Manager A",
        "label": "Manager A",
        "role": "Municipal director of health and care",
        "organisation": "A mid-sized municipality (fictional)",
        "date": datetime.date(2026, 3, 4),
        "attributes": {
            "sector": "Municipal health and care",
            "organisation size": "2,400 staff",
            "years in post": "6",
            "level": "Municipality",
        },
    },
    {
        "file": "manager_b.txt",
        "title": "Interview with Manager B",
        "label": "Manager B",
        "role": "Head of social services",
        "organisation": "A large municipality (fictional)",
        "date": datetime.date(2026, 3, 11),
        "attributes": {
            "sector": "Social services",
            "organisation size": "1,100 staff",
            "years in post": "3",
            "level": "Municipality",
        },
    },
    {
        "file": "manager_c.txt",
        "title": "Interview with Manager C",
        "label": "Manager C",
        "role": "Hospital chief executive",
        "organisation": "A regional hospital (fictional)",
        "date": datetime.date(2026, 3, 19),
        "attributes": {
            "sector": "Hospital care",
            "organisation size": "5,800 staff",
            "years in post": "9",
            "level": "Region",
        },
    },
]


class Command(BaseCommand):
    help = "Load the fictional co-production demo study with its users, codebook and codings."

    def handle(self, *args, **options):
        if Study.objects.filter(slug="demo").exists():
            self.stdout.write("The demo study is already loaded; nothing to do.")
            return
        with transaction.atomic():
            study = Study.objects.create(
                slug="demo",
                title="Co-production seen from the top (demo)",
                description=(
                    "How three top managers of public organisations make sense of co-production "
                    "with citizens and frontline staff. The interviews are fictional, written "
                    "for this demonstration."
                ),
            )
            users = self.create_users(study)
            codes = self.create_codes(study, json.loads((DEMO_DIR / "codebook.json").read_text()))
            codings = json.loads((DEMO_DIR / "codings.json").read_text())
            for position, spec in enumerate(PARTICIPANTS):
                interview = self.create_interview(study, position, spec)
                self.create_codings(interview, codes, users, codings[spec["file"]])
        self.stdout.write(self.style.SUCCESS("Loaded the demo study."))

    def create_users(self, study):
        User = get_user_model()
        users = {}
        for username, role in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            Membership.objects.create(study=study, user=user, role=role)
            users[username] = user
        return users

    def create_codes(self, study, entries, parent=None, prefix=""):
        codes = {}
        for position, entry in enumerate(entries):
            code = Code.objects.create(
                study=study,
                parent=parent,
                position=position,
                name=entry["name"],
                colour=entry.get("colour", "#f2c94c"),
                grouping_only=entry.get("grouping_only", False),
                shortcut=entry.get("shortcut", ""),
                definition=entry.get("definition", ""),
                inclusion=entry.get("inclusion", ""),
                exclusion=entry.get("exclusion", ""),
                example=entry.get("example", ""),
                counter_example=entry.get("counter_example", ""),
                indicator_terms="\n".join(entry.get("indicator_terms", [])),
            )
            path = f"{prefix}{code.name}"
            codes[path] = code
            codes.update(self.create_codes(study, entry.get("children", []), code, f"{path}/"))
        return codes

    def create_interview(self, study, position, spec):
        participant = Participant.objects.create(
            study=study, label=spec["label"], role=spec["role"], organisation=spec["organisation"]
        )
        ParticipantAttribute.objects.bulk_create(
            ParticipantAttribute(participant=participant, name=name, value=value)
            for name, value in spec["attributes"].items()
        )
        interview = Interview.objects.create(
            study=study,
            participant=participant,
            title=spec["title"],
            date=spec["date"],
            position=position,
            source_filename=spec["file"],
            text=(DEMO_DIR / spec["file"]).read_text(encoding="utf-8"),
        )
        Turn.objects.bulk_create(
            Turn(
                interview=interview,
                speaker=turn.speaker or "",
                speaker_role=(
                    SpeakerRole.INTERVIEWER
                    if turn.speaker == "Interviewer"
                    else SpeakerRole.PARTICIPANT
                ),
                start=turn.start,
                end=turn.end,
                timestamp=turn.timestamp,
            )
            for turn in detect_turns(interview.text)
        )
        return interview

    def create_codings(self, interview, codes, users, by_coder):
        text = interview.text
        rows = []
        for username, entries in by_coder.items():
            for entry in entries:
                start = text.find(entry["quote"])
                if start < 0:
                    raise CommandError(f"{interview.title}: quote not found: {entry['quote']!r}")
                end = start + len(entry["quote"])
                rows.append(
                    Coding(
                        interview=interview,
                        code=codes[entry["code"]],
                        coder=users[username],
                        start=start,
                        end=end,
                        quote=text[start:end],
                        memo=entry.get("memo", ""),
                        origin=Origin.MANUAL,
                    )
                )
        Coding.objects.bulk_create(rows, ignore_conflicts=True)
