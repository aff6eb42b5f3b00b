"""A job's state as the app sees it (None: no such job)."""
PENDING = "pending"
FAILED = "failed"
FINISHED = "finished"
