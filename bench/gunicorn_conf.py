"""The gunicorn settings of both benchmarked apps (not the repository's gunicorn.conf.py, whose hooks need Soglia
and whose worker recycling would add noise to a short measurement)."""
import os

workers = int(os.environ.get("BENCH_WORKERS", "2"))
worker_class = "sync"
loglevel = "warning"
