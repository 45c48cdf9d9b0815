"""Benchmarks run by ``python manage.py bench <subcommand>``, one module per subcommand.

Each module has ``HELP`` and either ``add_arguments(parser)`` with ``run(out, **options)``
(``out`` is the command's output stream), or ``run(argv)`` parsing its own arguments,
for modules that also run standalone from ``tests/bench/``.
"""

SUBCOMMANDS = {
    "workbench": "codebook.bench.workbench",
    "agreement": "codebook.bench.agreement",
    "export_codings": "codebook.bench.export",
    "import": "codebook.bench.importing",
    "suggest": "codebook.bench.suggest",
    "analysis": "codebook.bench.analysis",
    "pages": "codebook.bench.pages",
}
