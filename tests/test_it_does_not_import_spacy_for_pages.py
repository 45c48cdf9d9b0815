"""The web process must not pay for spaCy until a suggestion is actually made."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_loading_the_url_conf_and_the_suggestion_pages_does_not_import_spacy():
    code = (
        "import os, sys, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'coprod.settings')\n"
        "django.setup()\n"
        "import coprod.urls, codebook.views.suggestions, codebook.views.suggestion_quality\n"
        "import codebook.suggestion_runs, codebook.suggestion_quality, codebook.tasks\n"
        "print(','.join(m for m in ('spacy', 'thinc') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
