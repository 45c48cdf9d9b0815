"""Print a study's agreement table as CSV or JSON, as the agreement page shows it."""

import csv
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from codebook.reliability.export import table_header, table_json, table_lines
from codebook.reliability.report import CONSENSUS, agreement_report, applicable_codes
from codebook.reliability.table import DEFAULT_THRESHOLDS, UNIT_KINDS
from interviews.models import Study


class Command(BaseCommand):
    help = "Compute inter-coder agreement for a study (per code, per group and overall)."

    def add_arguments(self, parser):
        parser.add_argument("study", help="The study's slug.")
        parser.add_argument(
            "--coders",
            required=True,
            help='Comma-separated user names; "consensus" for that layer.',
        )
        parser.add_argument("--unit", choices=UNIT_KINDS, default="sentence")
        parser.add_argument("--format", choices=("csv", "json"), default="csv")
        parser.add_argument("--interviews", nargs="+", help="Interview titles (default: all).")
        parser.add_argument(
            "--codes", nargs="+", help='Code paths such as "Lenses/Sensemaking" (default: all).'
        )
        parser.add_argument("--threshold", type=float, help="Default 0.5; 0.9 for segments.")
        parser.add_argument(
            "--interviewer", action="store_true", help="Count the interviewer's turns as units."
        )

    def handle(self, *args, **options):
        study = Study.objects.filter(slug=options["study"]).first()
        if study is None:
            raise CommandError(f"No study with the slug {options['study']!r}.")
        coders = self._coders(options["coders"])
        interviews = list(study.interviews.all())
        if options["interviews"]:
            wanted = set(options["interviews"])
            interviews = [i for i in interviews if i.title in wanted]
            if missing := wanted - {i.title for i in interviews}:
                raise CommandError(f"No such interviews: {', '.join(sorted(missing))}")
        codes = applicable_codes(study)
        if options["codes"]:
            wanted = set(options["codes"])
            codes = [c for c in codes if c.label in wanted]
            if missing := wanted - {c.label for c in codes}:
                raise CommandError(f"No such codes: {', '.join(sorted(missing))}")
        threshold = options["threshold"] or DEFAULT_THRESHOLDS[options["unit"]]
        if not 0 < threshold <= 1:
            raise CommandError("The threshold must be above 0 and at most 1.")
        report = agreement_report(
            study, coders, interviews, codes, options["unit"], threshold, options["interviewer"]
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(table_json(report), indent=2, ensure_ascii=False))
        else:
            writer = csv.writer(self.stdout)
            writer.writerow(table_header(report))
            writer.writerows(table_lines(report))

    def _coders(self, names: str) -> list:
        names_list = [name.strip() for name in names.split(",") if name.strip()]
        if len(names_list) < 2:
            raise CommandError("Give two or more coders, e.g. --coders ann,ben.")
        users = {
            u.get_username(): u.pk for u in get_user_model().objects.filter(username__in=names_list)
        }
        coders = []
        for name in names_list:
            if name == CONSENSUS:
                coders.append(CONSENSUS)
            elif name in users:
                coders.append(users[name])
            else:
                raise CommandError(f"No user named {name!r}.")
        return coders
