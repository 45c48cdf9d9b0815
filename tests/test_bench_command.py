"""``python manage.py bench`` reaches every benchmark; figures are printed, never asserted."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from codebook.bench import SUBCOMMANDS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def scratch_env(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    env["COPROD_DATA_DIR"] = str(tmp_path)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return env


def _bench(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", "bench", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_every_benchmark_is_listed_in_the_help(scratch_env):
    result = _bench(scratch_env, "--help")
    assert result.returncode == 0, result.stderr
    for name in SUBCOMMANDS:
        assert name in result.stdout


def test_a_benchmark_with_its_own_options_runs_through_the_command(scratch_env):
    result = _bench(
        scratch_env, "import", "--words", "3000", "--reanchor-words", "2000", "--codings", "50"
    )
    assert result.returncode == 0, result.stderr
    assert "re-anchoring 50 codings" in result.stdout


def test_the_export_benchmark_exports_then_deletes_its_study(scratch_env):
    result = _bench(scratch_env, "export_codings", "--rows", "700", "--drop")
    assert result.returncode == 0, result.stderr
    assert "export_codings on sqlite: 700 rows in" in result.stdout
    assert "deleted the benchmark study" in result.stdout
    again = _bench(scratch_env, "export_codings", "--rows", "700", "--qdpx")
    assert "filled bench-export-700" in again.stdout  # it was gone, so it is filled anew
    assert "export_qdpx on sqlite: 700 rows in" in again.stdout
