"""Benchmarks run by ``python manage.py bench <subcommand>``, one module per subcommand.

Each module has ``HELP``, ``add_arguments(parser)`` and ``run(stdout, **options)``.
"""

SUBCOMMANDS = {
    "workbench": "codebook.bench.workbench",
    "suggest": "codebook.bench.suggest",
}
