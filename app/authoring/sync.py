"""Several app servers without a shared filesystem: the courses folder is a clone of a git remote
(`COURSES_REMOTE`, a bare repository path or URL). A publish pushes its commit, then says so on a Redis
pub/sub channel; every other server pulls and reloads on its next request. A server also pulls when it starts.
"""
import json
import logging
import os
import threading
import uuid
from pathlib import Path

import redis

from .. import catalog as catalog_module
from . import repository

log = logging.getLogger(__name__)
BRANCH = "main"


class PushRejected(Exception):
    """The remote moved and the two changes could not be combined: this publish was undone here."""


def init_app(app):
    """Clone or pull the courses, and listen for publishes from the other servers."""
    remote = app.config.get("COURSES_REMOTE")
    if not remote:
        return
    folder = Path(app.config["COURSES_DIR"])
    # the workers of a server start together: one clones, the others wait and pull its clone
    with repository.locked_file(folder.parent / f".{folder.name}.clone.lock"):
        if not (folder / ".git").exists():
            if folder.exists() and any(folder.iterdir()):
                raise RuntimeError(f"COURSES_DIR {folder} is not empty and not a clone of COURSES_REMOTE {remote}")
            repository.git(folder.parent, "clone", "-q", "-b", BRANCH, remote, str(folder))
        else:
            pull(app, reload=False)
    state: dict = {"id": uuid.uuid4().hex, "pending": threading.Event(), "pid": None, "lock": threading.Lock()}
    app.extensions["soglia.sync"] = state
    if app.config.get("COURSES_SYNC_REDIS_URL"):
        state["redis"] = redis.Redis.from_url(app.config["COURSES_SYNC_REDIS_URL"])
        _start_listening(app, state)

    @app.before_request
    def _pull_if_told():
        if "redis" in state and state["pid"] != os.getpid():  # a worker forked from a preloaded app
            with state["lock"]:
                if state["pid"] != os.getpid():
                    _start_listening(app, state)
        if state["pending"].is_set():
            state["pending"].clear()
            pull(app)


def _start_listening(app, state):
    """Subscribe in this process: a thread and its connection do not survive a fork."""
    state["pid"] = os.getpid()
    listener = state["redis"].pubsub(ignore_subscribe_messages=True)
    listener.subscribe(app.config["COURSES_SYNC_CHANNEL"])
    thread = threading.Thread(target=_listen, args=(listener, state), daemon=True, name="soglia-courses-sync")
    thread.start()


def _listen(listener, state):
    for message in listener.listen():
        try:
            sender = json.loads(message["data"])["sender"]
        except (ValueError, KeyError, TypeError):
            continue
        if sender != state["id"]:
            state["pending"].set()


def pull(app, reload=True):
    """Fast-forward to the remote's courses (this server's own commits are pushed already), then reload."""
    folder = app.config["COURSES_DIR"]
    with repository.locked(folder):
        before = repository.head(folder)
        repository.git(folder, "pull", "-q", "--ff-only", "origin", BRANCH)
        changed = repository.head(folder) != before
    if changed and reload:
        catalog_module.reload(app)
        catalog_module.request_reload(app)


def push(app):
    """Share this server's new commit (call inside the repository lock). If another server published
    meanwhile, the two are combined when they touch different files; otherwise this commit is undone here
    and PushRejected is raised (the trainer's draft is kept)."""
    folder = app.config["COURSES_DIR"]
    if not app.config.get("COURSES_REMOTE"):
        return
    try:
        repository.git(folder, "push", "-q", "origin", f"HEAD:{BRANCH}")
        return
    except repository.GitError:
        pass
    try:
        repository.git(folder, "pull", "-q", "--rebase", "origin", BRANCH)
        repository.git(folder, "push", "-q", "origin", f"HEAD:{BRANCH}")
    except repository.GitError as error:
        log.warning("publish not shared, undone here: %s", error)
        try:
            repository.git(folder, "rebase", "--abort")
        except repository.GitError:
            pass
        repository.git(folder, "fetch", "-q", "origin", BRANCH)
        repository.git(folder, "reset", "-q", "--hard", f"origin/{BRANCH}")
        raise PushRejected(str(error)) from error


def announce(app):
    """Tell the other servers to pull."""
    state = app.extensions.get("soglia.sync")
    if state and state.get("redis") is not None:
        try:
            state["redis"].publish(app.config["COURSES_SYNC_CHANNEL"], json.dumps({"sender": state["id"]}))
        except redis.RedisError as error:  # the others still pull when they restart
            log.error("could not announce a publish to the other servers: %s", error)
