"""Background jobs: on Redis with RQ when JOBS_REDIS_URL is set (`flask jobs worker` runs them), otherwise in the
same process right after the response has been sent, so a single-machine install needs nothing more."""
from flask import current_app

from .cli import jobs_cli
from .local import LocalJobs
from .rq_queue import RedisJobs
from .states import FAILED, FINISHED, PENDING

__all__ = ["FAILED", "FINISHED", "PENDING", "get_jobs", "init_app", "on_worker_start"]


def init_app(app):
    url = app.config.get("JOBS_REDIS_URL")
    app.extensions["soglia.jobs"] = RedisJobs(url, app.config["JOBS_QUEUE"]) if url else LocalJobs()
    app.cli.add_command(jobs_cli)


def get_jobs(app=None):
    """The app's job queue: RedisJobs or LocalJobs."""
    return (app or current_app).extensions["soglia.jobs"]


def on_worker_start(app, warm_up):
    """Call `warm_up()` once when `flask jobs worker` starts, e.g. to load a slow library before the first job."""
    app.extensions.setdefault("soglia.jobs_warm_ups", []).append(warm_up)
