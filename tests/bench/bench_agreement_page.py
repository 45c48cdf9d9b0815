"""Time agreement through the database and the page on the demo study; prints, never asserts.

Run: python tests/bench/bench_agreement_page.py [--characters N --codings N --repeat N]
(uses the database of the settings, migrates it, and keeps nothing it generates).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coprod.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from codebook.bench.agreement import run  # noqa: E402

if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    run(sys.argv[1:])
