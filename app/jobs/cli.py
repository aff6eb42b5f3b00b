"""`flask jobs worker`: run the queued background jobs (certificate PDFs) with RQ."""
import click
from flask import current_app
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Background jobs (certificate PDFs) on Redis.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs queued now, then stop.")
def worker_command(burst):
    """Run queued jobs in this process, warm (needs JOBS_REDIS_URL); start as many as the machine has cores."""
    from rq import SimpleWorker

    from .rq_queue import RedisJobs

    jobs = current_app.extensions["soglia.jobs"]
    if not isinstance(jobs, RedisJobs):
        raise click.ClickException("no job queue: set SOGLIA_JOBS_REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    for warm_up in current_app.extensions.get("soglia.jobs_warm_ups", ()):
        warm_up()
    queue = jobs.queue()
    click.echo(f"Running jobs from queue {queue.name!r}" + (" until it is empty" if burst else ""), err=True)
    SimpleWorker([queue], connection=queue.connection).work(burst=burst, logging_level="WARNING")
