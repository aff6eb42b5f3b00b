"""Certificate PDFs per second rendered by a warm job worker (`flask jobs worker`), after its first PDF.

Certificates are issued to BENCH_PDF_LEARNERS learners of one real course; each issue queues a job on Redis
(SOGLIA_BENCH_JOBS_REDIS_URL, default database 3 of the local server) and one worker runs them all. Without
Redis the jobs are run one after the other in this process, as the in-process fallback does.
"""
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("SOGLIA_BENCH_JOBS_REDIS_URL", "redis://127.0.0.1:6379/3")
LEARNERS = int(os.environ.get("BENCH_PDF_LEARNERS", "20"))
COURSE = "financial-literacy"


def _redis_reachable():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def _app(tmp, queue):
    from app import create_app
    from app.extensions import db

    config = {"INSTANCE_PATH": str(Path(tmp) / "instance"), "SECRET_KEY": "bench", "PUBLIC_BASE_URL": "http://localhost",
              "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.db'}", "COURSES_DIR": str(ROOT / "courses"),
              "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1", "CERTIFICATE_PDF_DIR": str(Path(tmp) / "pdfs")}
    if queue:
        config.update(JOBS_REDIS_URL=REDIS_URL, JOBS_QUEUE=queue)
    app = create_app(config)
    with app.app_context():
        db.create_all()
    return app


def _issue(app, count):
    """Issue the course's certificate to `count` new learners; the codes, in issuing order."""
    from app.extensions import db
    from app.services import accounts
    from app.services.certificates import issue_certificate

    codes = []
    with app.app_context():
        course = app.extensions["soglia.catalog"].course(COURSE)
        for number in range(count):
            user = accounts.create_user(username=f"learner{number}", display_name=f"Learner Number {number}",
                                        password="bench password", role="learner", track="entrepreneur",
                                        locale=("en", "ar", "fr")[number % 3], hash_method="pbkdf2:sha256:1")
            codes.append(issue_certificate(user, course, "Soglia").code)
            db.session.commit()  # each commit queues the certificate's job
    return codes


def _run_queue(app):
    from rq import SimpleWorker

    from app.jobs import get_jobs

    with app.app_context():
        queue = get_jobs().queue()
        SimpleWorker([queue], connection=queue.connection).work(burst=True, logging_level="WARNING")
        return len(queue.finished_job_registry.get_job_ids()), len(queue.failed_job_registry.get_job_ids())


def _run_in_process(app, codes):
    from app.certificates.background import render_job

    with app.app_context():
        for code in codes:
            render_job(code, None, "http://localhost")
    return len(codes), 0


def main():
    from app.certificates.pdf import warm_up

    use_redis = _redis_reachable()
    queue = f"soglia-bench-{secrets.token_hex(4)}" if use_redis else None
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(tmp, queue)
        started = time.perf_counter()
        warm_up()
        first = time.perf_counter() - started
        codes = _issue(app, LEARNERS)
        started, cpu = time.perf_counter(), time.process_time()
        done, failed = _run_queue(app) if use_redis else _run_in_process(app, codes)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        pdfs = list((Path(tmp) / "pdfs").glob("*.pdf"))
        if use_redis:
            _forget_queue(queue, codes)
    where = "RQ worker on Redis" if use_redis else "in process (no Redis)"
    print(f"\ncertificate PDFs, {where}: worker warm-up {first:.1f} s, then {done} PDFs in {elapsed:.1f} s = "
          f"{done / elapsed:.1f} PDFs/s ({elapsed / max(done, 1) * 1000:.0f} ms each; CPU {cpu / max(done, 1) * 1000:.0f} ms "
          f"each, {max(done, 1) / cpu:.1f} PDFs per CPU-second), {failed} failed")
    if len(pdfs) != len(codes) or failed:
        print(f"  expected {len(codes)} PDFs, found {len(pdfs)}", file=sys.stderr)
        sys.exit(1)


def _forget_queue(queue, codes):
    import redis

    from app.certificates.background import job_id

    connection = redis.Redis.from_url(REDIS_URL)
    keys = connection.keys(f"rq:*{queue}*") + [f"rq:{kind}:{job_id(code)}" for code in codes for kind in ("job", "results")]
    connection.delete(*keys)


if __name__ == "__main__":
    main()
