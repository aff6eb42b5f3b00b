"""Jobs on Redis with RQ: any app server enqueues, `flask jobs worker` processes run them."""
import logging
import os
from datetime import UTC, datetime, timedelta

from redis import Redis, RedisError
from rq import Queue, Retry
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus

from .states import FAILED, FINISHED, PENDING

log = logging.getLogger(__name__)

#: a failed job is tried this many times more before the app does the work on demand
RETRIES = 2
#: a job still queued this long after it was enqueued has no worker to run it: the app does the work itself
STALLED_AFTER = timedelta(seconds=60)
#: a job killed after this long (a certificate PDF takes well under a second in a warm worker)
JOB_TIMEOUT = 120
#: how long a finished job's id keeps a second enqueue of the same work away
RESULT_TTL = 3600

_WAITING = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED, JobStatus.CREATED}


class RedisJobs:
    """An RQ queue; its Redis connection is made in the process that uses it (never shared across a fork)."""

    #: a download can wait for a job: yes, a worker elsewhere runs it now
    background = True

    def __init__(self, url, name):
        self.url, self.name = url, name
        self._pid, self._queue = None, None

    def queue(self):
        if self._pid != os.getpid():
            self._queue, self._pid = Queue(self.name, connection=Redis.from_url(self.url)), os.getpid()
        return self._queue

    def enqueue(self, func, args, job_id):
        """Queue `func(*args)` once: False if a job with this id exists (waiting, done or failed) or Redis is down."""
        try:
            self.queue().enqueue(func, *args, job_id=job_id, unique=True, retry=Retry(max=RETRIES),
                                 job_timeout=JOB_TIMEOUT, result_ttl=RESULT_TTL)
        except DuplicateJobError:
            return False
        except RedisError as error:
            log.error("could not queue job %s: %s", job_id, error)
            return False
        return True

    def status(self, job_id):
        """PENDING, FINISHED, FAILED (also: stalled with no worker, or Redis unreachable), or None if unknown."""
        try:
            job = Job.fetch(job_id, connection=self.queue().connection)
            state = job.get_status(refresh=False)
        except NoSuchJobError:
            return None
        except RedisError as error:
            log.error("could not read job %s: %s", job_id, error)
            return FAILED
        if state == JobStatus.FINISHED:
            return FINISHED
        if state not in _WAITING:
            return FAILED
        if state == JobStatus.QUEUED and job.enqueued_at and datetime.now(UTC) - _aware(job.enqueued_at) > STALLED_AFTER:
            return FAILED
        return PENDING


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
