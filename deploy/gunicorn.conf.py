"""gunicorn settings for credgroup's web processes: ``gunicorn -c deploy/gunicorn.conf.py app:app``.

Every value can be changed through the environment named next to it, so the systemd unit
(or a container) sets them without editing this file. DEPLOYMENT.md explains each choice.

Web workers never run scheduled jobs: ``create_app`` starts no scheduler, and only the one
``flask --app app worker`` process runs jobs, sends email and writes the search index.
"""

from __future__ import annotations

import multiprocessing
import os

# --- where and how many ------------------------------------------------------------------

# Loopback only: the reverse proxy (nginx) is the one thing that talks to gunicorn.
bind = os.environ.get("CREDGROUP_BIND", "127.0.0.1:8000")
# Sync workers, one request at a time each, behind a buffering proxy that absorbs slow
# clients. Two per core plus one keeps the cores busy while others wait on PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Each worker holds at most one database connection at a time; size PostgreSQL's
# max_connections for workers x hosts + the worker process + maintenance (DEPLOYMENT.md).

# --- time limits -------------------------------------------------------------------------

# A request still running after 30 s is stuck (the slowest pages answer in well under a
# second): gunicorn kills the worker and starts a fresh one.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# On SIGTERM/HUP, requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Behind nginx, which keeps its own client connections: short upstream keep-alive.
keepalive = 5
# Recycle workers now and then (with jitter, so they do not all restart together): a slow
# leak in any library never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# The heartbeat file on tmpfs: a slow disk must not make gunicorn think a worker hangs.
# gunicorn makes its own uniquely named files there (mkstemp).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# --- the proxy in front ------------------------------------------------------------------

# Only the proxy may set X-Forwarded-Proto for gunicorn; the app reads the client's
# address, scheme and host through ProxyFix (CREDGROUP_TRUSTED_PROXIES=1 behind one nginx).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips

# --- loading the app ---------------------------------------------------------------------

# Load the app once in the master and fork workers from it: less memory (shared pages),
# quick restarts of recycled workers, and a broken configuration stops the master at once
# instead of every worker failing in a loop. Safe because create_app opens no database
# connection, file or thread (no scheduler: see the module docstring); post_fork still drops
# any pooled connection a worker might have inherited. The cost: new code needs a restart
# (systemctl restart), not a HUP.
preload_app = True


def post_fork(server, worker):
    """A forked worker never shares the master's database connections."""
    from credgroup.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)


# --- logs --------------------------------------------------------------------------------

# The app writes one line per request itself (route template, status, duration, request
# id; never who asked: see credgroup/ops/logs.py), so gunicorn's access log is off by
# default. Turn it on with GUNICORN_ACCESS_LOG=- ; its format below also leaves out the
# client's address and the URL (either, next to the time of a POST, could say who wrote a
# report) and carries the same request id as the app's lines.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = "%(t)s %(m)s %(s)s %(B)sB %(M)sms request_id=%({x-request-id}o)s"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "credgroup-web"
