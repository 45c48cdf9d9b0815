"""Run a benchmark and print its figures: ``python manage.py bench <subcommand> [options]``."""

from importlib import import_module

from django.core.management.base import BaseCommand

from codebook.bench import SUBCOMMANDS


class Command(BaseCommand):
    help = "Measure coprod on generated data and print the figures (nothing is kept)."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        for name, module_path in SUBCOMMANDS.items():
            module = import_module(module_path)
            module.add_arguments(subcommands.add_parser(name, help=module.HELP))

    def handle(self, *args, subcommand, **options):
        import_module(SUBCOMMANDS[subcommand]).run(self.stdout, **options)
