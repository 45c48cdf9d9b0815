"""gunicorn's settings for production: ``gunicorn -c python:coprod.gunicorn``.

gunicorn's default worker answers one request at a time and is killed by its master when
a request runs past ``timeout`` (30 s). A large study's REFI-QDA download or backup
restore runs longer than that (a million codings: about a minute), and would be cut off
half-way. The threaded worker reports to its master from its own loop while requests run
in threads, so the timeout still catches a hung worker but leaves a long download alone.

Every setting can be overridden on the command line or in ``GUNICORN_CMD_ARGS``.
"""

import os

wsgi_app = "coprod.wsgi:application"
worker_class = "gthread"
# Processes and the threads in each: a page that waits on the database or on a slow
# client's download holds one thread, not a whole process.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Connections left open by browsers between requests; behind a proxy that pools them,
# a little longer than gunicorn's 2 s spares a new connection per page.
keepalive = 5
