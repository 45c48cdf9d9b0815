"""python manage.py evaluate_suggestions STUDY [--suggester terms|learned]"""

from django.core.management.base import BaseCommand

from codebook.exchange.study_lookup import study_named
from codebook.models import Suggester
from codebook.suggestion_quality import evaluate_study, quality_rows


class Command(BaseCommand):
    help = (
        "Score the suggesters against the study's human codings at sentence level (precision, "
        "recall, F1 per code and overall; the learned suggester leave-one-interview-out), "
        "store the figures for the supervisors' page and print them."
    )

    def add_arguments(self, parser):
        parser.add_argument("study", help="the study's slug")
        parser.add_argument(
            "--suggester", choices=Suggester.values, action="append", help="default: both"
        )

    def handle(self, *args, **options):
        study = study_named(options["study"])
        results = evaluate_study(study, options["suggester"] or Suggester.values)
        for suggester, (report, _sentences) in results.items():
            if report is None:
                self.stdout.write(
                    f"{suggester}: not scored (needs codings in at least two interviews)."
                )
        rows, overall = quality_rows(study)
        keys = [key for key in Suggester.values if key in overall and key in results]
        for key in keys:
            o = overall[key]
            self.stdout.write(
                f"{key}: precision {o['precision']:.2f}  recall {o['recall']:.2f}  "
                f"F1 {o['f1']:.2f}  macro F1 {o['macro_f1']:.2f}  "
                f"({o['sentences']} sentences; tp {o['tp']} fp {o['fp']} fn {o['fn']})"
            )
        if not keys:
            return
        width = max(len(row["path"]) for row in rows) if rows else 10
        header = "".join(f"  {key:>8} P    R    F1" for key in keys)
        self.stdout.write(f"\n{'code':<{width}}{header}  accepted")
        for row in rows:
            cells = ""
            for key in keys:
                s = row["scores"].get(key)
                cells += (
                    f"  {'':>8} {s['precision']:.2f} {s['recall']:.2f} {s['f1']:.2f}"
                    if s
                    else f"  {'':>8} {'-':>4} {'-':>4} {'-':>4}"
                )
            accepted = f"{row['accepted']}/{row['decided']}" if row["decided"] else "-"
            self.stdout.write(f"{row['path']:<{width}}{cells}  {accepted}")
