"""Settings come from the environment and fail loudly when they are wrong."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The browser tests allow async-unsafe ORM calls, which the deployment check flags.
ENV_TO_CLEAR = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")


def _run(env_overrides, *args, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ENV_TO_CLEAR}
    env.update({"COPROD_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "coprod.settings"})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_it_refuses_a_debug_value_that_is_not_a_boolean(tmp_path):
    result = _run({"DEBUG": "maybe"}, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_it_requires_a_secret_key_in_production(tmp_path):
    result = _run({"DEBUG": "false"}, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_it_keeps_a_generated_secret_key_for_local_use(tmp_path):
    assert _run({}, "check", tmp_path=tmp_path).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert _run({}, "check", tmp_path=tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key


def test_production_settings_pass_the_deployment_check(tmp_path):
    result = _run(
        {
            "DEBUG": "false",
            "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-" + "y" * 20,
            "ALLOWED_HOSTS": "coprod.example.org",
            "CSRF_TRUSTED_ORIGINS": "https://coprod.example.org",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
