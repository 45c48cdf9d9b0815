"""Ask a new Python interpreter which heavy modules some imports load.

A test process has long imported spaCy and numpy, so only a fresh interpreter can tell
what importing a module costs the web process when it starts.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def heavy_modules_loaded(imports: str, watched, *, set_up_django: bool = True) -> list[str]:
    """Run the ``imports`` (Python source) in a new interpreter; return which ``watched`` it loaded.

    Django is set up first, as in the web process, unless ``set_up_django`` is false.
    """
    setup = "import django\ndjango.setup()\n" if set_up_django else ""
    code = (
        f"import sys\n{setup}{imports}\n"
        f"print(','.join(m for m in {tuple(watched)!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "coprod.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return [name for name in result.stdout.strip().split(",") if name]
