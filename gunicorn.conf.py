"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` (README, "Production").

The app is loaded once in the master (preload), so the courses are rendered once, not once per worker; each
worker then opens its own database and Redis connections.
"""
import multiprocessing
import os

bind = os.environ.get("SOGLIA_BIND", "127.0.0.1:8000")
#: sync workers: two per core and one more (WEB_CONCURRENCY overrides)
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
preload_app = True
timeout = 30
graceful_timeout = 30
#: behind nginx, which keeps the connections to browsers
keepalive = 2
#: a worker is replaced after this many requests (plus up to the jitter), so no slow leak lasts
max_requests = 2000
max_requests_jitter = 200
#: the heartbeat file in memory: a slow disk never makes a healthy worker look dead
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("SOGLIA_ACCESS_LOG")  # e.g. "-" for standard output; nginx logs requests already
errorlog = "-"


def when_ready(server):
    """The master holds no database connection when it forks: each worker opens its own."""
    _dispose_engines(server, close=True)


def post_fork(server, worker):
    """Forget any pooled connection inherited from the master, without closing the master's socket."""
    _dispose_engines(server, close=False)


def _dispose_engines(server, close):
    if not server.cfg.preload_app:  # nothing loaded before the fork
        return
    from app.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=close)
