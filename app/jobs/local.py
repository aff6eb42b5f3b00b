"""Jobs without a queue server: run by the worker process that asked for them, once its response is sent."""
import logging
import threading

from flask import after_this_request, current_app, has_request_context

from .states import FAILED, PENDING

log = logging.getLogger(__name__)


class LocalJobs:
    """Jobs run by the worker process that asked for them, once its response is sent; only from a request."""

    #: a download can wait for a job: no, it runs only after the asking request's own response
    background = False

    def __init__(self):
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._failed: set[str] = set()

    def enqueue(self, func, args, job_id):
        """Run `func(*args)` after this request's response is sent; False outside a request."""
        if not has_request_context():
            return False
        app = current_app._get_current_object()  # type: ignore[attr-defined]

        @after_this_request
        def _after_response(response):
            response.call_on_close(lambda: self._run(app, func, args, job_id))
            return response

        return True

    def _run(self, app, func, args, job_id):
        with self._lock:
            if job_id in self._running:
                return
            self._running.add(job_id)
            self._failed.discard(job_id)
        try:
            with app.app_context():
                func(*args)
        except Exception:  # the job's own failure: logged, and the work is then done on demand
            log.exception("job %s failed", job_id)
            with self._lock:
                self._failed.add(job_id)
        finally:
            with self._lock:
                self._running.discard(job_id)

    def status(self, job_id):
        """PENDING while it runs, FAILED after a failure, else None (done, not yet started, or unknown)."""
        with self._lock:
            if job_id in self._running:
                return PENDING
            return FAILED if job_id in self._failed else None
