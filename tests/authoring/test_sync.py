"""Two app servers, each with its own clone of one bare courses repository: a publish on one reaches the other."""
import os
import secrets
import shutil
import subprocess
import threading
import time

import pytest
import redis

from app import create_app
from app.extensions import db
from app.authoring import operations

from ..conftest import make_config

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_available():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not redis_available(), reason="Redis is not reachable")


def git(*args):
    subprocess.run(["git", *args], check=True, capture_output=True)


@pytest.fixture
def remote(tmp_path, courses_dir):
    """A bare repository holding the sample courses, as production's courses remote."""
    bare = tmp_path / "courses.git"
    git("init", "-q", "--bare", "-b", "main", str(bare))
    git("-C", str(courses_dir), "init", "-q", "-b", "main")
    git("-C", str(courses_dir), "add", "-A")
    git("-C", str(courses_dir), "-c", "user.name=Seed", "-c", "user.email=seed@x", "commit", "-q", "-m", "Seed")
    git("-C", str(courses_dir), "push", "-q", str(bare), "main")
    shutil.rmtree(courses_dir)
    return bare


def server(tmp_path, name, remote, channel):
    app = create_app(make_config(tmp_path / name, tmp_path / name / "courses", COURSES_REMOTE=str(remote),
                                 COURSES_SYNC_REDIS_URL=REDIS_URL, COURSES_SYNC_CHANNEL=channel,
                                 INSTANCE_PATH=str(tmp_path / name / "instance"),
                                 DATABASE_URL=f"sqlite:///{tmp_path / name}.db"))
    with app.app_context():
        db.create_all()
    return app


def publish(app, text, message):
    with app.test_request_context():
        operations.start_draft("sample-course")
        (operations.draft_path("sample-course") / "01-basics" / "02-saving.md").write_text(
            f"---\ntitle: Saving\n---\n\n{text}\n")
        return operations.publish("sample-course", ("Tina", "tina@x"), message)


def saving_page(app):
    return app.test_client().get("/courses/sample-course/basics/saving").get_data(as_text=True)


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_publish_on_one_server_reaches_the_other_within_seconds(tmp_path, remote):
    channel = "soglia-test-" + secrets.token_hex(4)
    first, second = server(tmp_path, "a", remote, channel), server(tmp_path, "b", remote, channel)
    assert "Put a little aside every week." in saving_page(second)
    commit = publish(first, "Published on server A.", "From A")
    assert wait_for(lambda: "Published on server A." in saving_page(second))
    head = subprocess.run(["git", "-C", str(remote), "rev-parse", "main"], capture_output=True, text=True).stdout
    assert head.strip() == commit


def test_publishes_on_both_servers_combine_or_are_refused_never_lost(tmp_path, remote):
    channel = "soglia-test-" + secrets.token_hex(4)
    first, second = server(tmp_path, "a", remote, channel), server(tmp_path, "b", remote, channel)
    with second.test_request_context():
        operations.start_draft("sample-course")  # B's draft starts from the same version as A's
    publish(first, "From A.", "From A")
    with pytest.raises(operations.DraftOutdated):  # B's draft would overwrite A's publish
        publish(second, "From B.", "From B")
    assert wait_for(lambda: "From A." in saving_page(second))
    log = subprocess.run(["git", "-C", str(remote), "log", "--format=%s", "main"], capture_output=True, text=True)
    assert log.stdout.split("\n")[0] == "From A"


def test_workers_starting_together_share_one_clone(tmp_path, remote):
    """gunicorn starts a server's workers at once: one clones the remote, the others wait and use that clone."""
    barrier, errors = threading.Barrier(4), []

    def start(number):
        barrier.wait()
        try:
            create_app(make_config(tmp_path / f"w{number}", tmp_path / "clone", COURSES_REMOTE=str(remote),
                                   INSTANCE_PATH=str(tmp_path / f"w{number}" / "instance"),
                                   DATABASE_URL=f"sqlite:///{tmp_path / f'w{number}'}.db"))
        except Exception as error:  # noqa: BLE001  (any failure to start is the failure tested)
            errors.append(error)

    workers = [threading.Thread(target=start, args=(number,)) for number in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert (tmp_path / "clone" / "sample-course" / "course.md").exists()


def test_a_worker_forked_from_a_preloaded_app_still_hears_publishes(tmp_path, remote):
    """gunicorn's preload loads the app once and forks workers: the listener thread of the master is not theirs."""
    channel = "soglia-test-" + secrets.token_hex(4)
    first, second = server(tmp_path, "a", remote, channel), server(tmp_path, "b", remote, channel)
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the worker
        try:
            with second.app_context():
                db.engine.dispose(close=False)  # as gunicorn.conf.py's post_fork does
            saving_page(second)
            os.write(writer, b"listening")
            heard = wait_for(lambda: "Published on server A." in saving_page(second))
            os.write(writer, b"y" if heard else b"n")
        finally:
            os._exit(0)
    assert os.read(reader, 9) == b"listening"
    publish(first, "Published on server A.", "From A")
    assert os.read(reader, 1) == b"y"
    os.waitpid(child, 0)
