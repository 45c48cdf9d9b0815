"""gunicorn, started with the project's settings, serves the app and lets long downloads finish."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENV_TO_CLEAR = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")

# Stands in for a large study's download: it sends its first bytes at once and its last
# ones after longer than the worker timeout the test sets.
SLOW_DOWNLOAD = """
import time

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    def pieces():
        for n in range(6):
            yield f"piece {n}\\n".encode()
            time.sleep(0.5)
        yield b"end\\n"
    return pieces()
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def serve(tmp_path):
    """Start gunicorn with coprod's settings and the given arguments; stop it afterwards."""
    servers = []

    def start(*args: str) -> str:
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if k not in ENV_TO_CLEAR}
        env.update(
            COPROD_DATA_DIR=str(tmp_path / "data"),
            PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
            WEB_CONCURRENCY="1",
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:coprod.gunicorn"]
            # No control socket: a test must not take over a running server's.
            + ["--bind", f"127.0.0.1:{port}", "--no-control-socket", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        servers.append(server)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read().decode()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return f"http://127.0.0.1:{port}"
            except OSError:
                time.sleep(0.1)
        pytest.fail("gunicorn did not start listening")

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=30)


def test_it_serves_the_app_with_the_project_settings(serve):
    base = serve()
    with urllib.request.urlopen(f"{base}/accounts/login/", timeout=30) as response:
        page = response.read().decode()
    assert response.status == 200
    assert 'name="password"' in page


def test_a_download_longer_than_the_worker_timeout_is_sent_whole(serve, tmp_path):
    (tmp_path / "slow_download.py").write_text(SLOW_DOWNLOAD)
    # A one-second timeout against a three-second download: gunicorn's default worker
    # is killed half-way and the client sees the connection drop.
    base = serve("--timeout", "1", "slow_download:app")
    with urllib.request.urlopen(base, timeout=30) as response:
        body = response.read().decode()
    assert body.endswith("piece 5\nend\n")
