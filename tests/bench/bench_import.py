"""Time importing a 200,000-word .docx and .txt, and re-anchoring 2,000 codings after 50 edits.

Run from the repository root: ``python tests/bench/bench_import.py [--words N ...]``.
Uses a fresh SQLite database in a temporary folder unless DATABASE_URL is set.
Prints seconds; asserts nothing about time (benchmarks print, tests don't).
"""

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ.setdefault("COPROD_DATA_DIR", data_dir)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coprod.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        from codebook.bench.importing import run

        run(sys.argv[1:])


if __name__ == "__main__":
    main()
