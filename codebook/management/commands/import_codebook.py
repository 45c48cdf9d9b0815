"""Import a CSV or REFI-QDA .qdc codebook into a study, merging by path."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from codebook.exchange.entries import CodebookFileError
from codebook.exchange.importing import apply_import, plan_import, read_codebook_file
from codebook.tree import TreeError
from interviews.models import Study


class Command(BaseCommand):
    help = "Import a codebook (.csv or .qdc) into a study, merging codes by path."

    def add_arguments(self, parser):
        parser.add_argument("study", help="The study's slug.")
        parser.add_argument("file", help="A .csv or .qdc file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; change nothing."
        )

    def handle(self, study, file, dry_run, **options):
        found = Study.objects.filter(slug=study).first()
        if found is None:
            raise CommandError(f"No study with the slug “{study}”.")
        path = Path(file)
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text.") from error
        try:
            entries, warnings = read_codebook_file(path.name, text)
            plan = plan_import(found, entries)
            for warning in warnings:
                self.stderr.write(f"warning: {warning}")
            for row in plan.rows:
                if row["status"] != "same":
                    detail = f" ({', '.join(row['changed'])})" if row["changed"] else ""
                    self.stdout.write(f"{row['status']}: {row['path']}{detail}")
            if plan.problems:
                raise CommandError("Not imported: " + " ".join(plan.problems))
            if not dry_run:
                apply_import(found, None, entries, path.name)
        except (CodebookFileError, TreeError) as error:
            raise CommandError(f"Not imported: {error}") from error
        verb = "Would add" if dry_run else "Added"
        self.stdout.write(
            f"{verb} {plan.count('added')} codes and "
            f"{'would change' if dry_run else 'changed'} {plan.count('changed')}."
        )
