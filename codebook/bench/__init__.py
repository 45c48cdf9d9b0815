"""Benchmarks run by ``python manage.py bench <subcommand>``, one module per subcommand.

Each module has ``HELP``, ``add_arguments(parser)`` and ``run(out, **options)``, where
``out`` is the command's output stream.
"""

SUBCOMMANDS = {
    "workbench": "codebook.bench.workbench",
    "suggest": "codebook.bench.suggest",
}
