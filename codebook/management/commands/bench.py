"""Run a benchmark and print its figures: ``python manage.py bench <subcommand> [options]``."""

import argparse
from importlib import import_module

from django.core.management.base import BaseCommand

from codebook.bench import SUBCOMMANDS


class Command(BaseCommand):
    help = "Measure coprod on generated data and print the figures (nothing is kept)."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        for name, module_path in SUBCOMMANDS.items():
            module = import_module(module_path)
            subparser = subcommands.add_parser(name, help=module.HELP)
            if hasattr(module, "add_arguments"):
                module.add_arguments(subparser)
            else:
                # Modules that parse their own arguments (they also run standalone).
                subparser.add_argument("argv", nargs=argparse.REMAINDER)

    def run_from_argv(self, argv):
        # argparse hands options after a REMAINDER subcommand back to Django's
        # own parser, which refuses them: pass them straight to such modules.
        module_path = SUBCOMMANDS.get(argv[2]) if len(argv) > 2 else None
        if module_path and not hasattr(import_module(module_path), "add_arguments"):
            import_module(module_path).run(argv[3:])
            return
        super().run_from_argv(argv)

    def handle(self, *args, subcommand, **options):
        module = import_module(SUBCOMMANDS[subcommand])
        if hasattr(module, "add_arguments"):
            module.run(self.stdout, **options)
        else:
            module.run(options["argv"])
