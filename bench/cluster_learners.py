"""Learners of `make bench-cluster` over real HTTP: log in with CSRF tokens, mark lessons done, pass quizzes,
send some forms twice at once to both app servers, and probe the login limit across the servers."""
import html
import http.client
import re
import ssl
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from .cluster_course import ANSWERS

PASSWORD = "bench password"
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
ATTEMPT = re.compile(r'name="attempt" value="(\d+)"')
CHOICE = re.compile(r'name="(q-[^"]+)" value="([0-9a-f]+)"[^>]*> <span>(.*?)</span>', re.S)
TAG = re.compile(r"<[^>]+>")


class Browser:
    """One learner's HTTP client: its own cookies (sent to every server, as one site), TLS checked against `cafile`."""

    def __init__(self, cafile=None):
        self.context = ssl.create_default_context(cafile=str(cafile) if cafile else None)
        self.cookies = {}
        self._lock = threading.Lock()

    def request(self, base, method, path, form=None):
        """(status, headers, body) of one request; cookies set by the response are kept."""
        url = urllib.parse.urlsplit(base)
        if url.scheme == "https":
            conn = http.client.HTTPSConnection(url.hostname, url.port, context=self.context, timeout=60)
        else:
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        headers = {}
        with self._lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = base + path  # as a browser sends it: Flask-WTF checks it over HTTPS
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        return response.status, response.headers, text

    def _keep_cookies(self, lines):
        with self._lock:
            for line in lines:
                for name, morsel in SimpleCookie(line).items():
                    if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


class Failure(Exception):
    """The app answered something a learner should never see."""


def _expect(status, wanted, what):
    if status not in wanted:
        raise Failure(f"{what}: HTTP {status}")


def csrf_token(page):
    found = CSRF.search(page)
    if not found:
        raise Failure("no CSRF token on the page")
    return found.group(1)


def log_in(browser, base, username):
    status, _, page = browser.request(base, "GET", "/account/login")
    _expect(status, {200}, "login page")
    status, _, _ = browser.request(base, "POST", "/account/login", {
        "csrf_token": csrf_token(page), "username": username, "password": PASSWORD})
    _expect(status, {302}, f"log in {username}")


def at_once(calls):
    """Run the (browser, base, method, path, form) requests in threads released together; their statuses."""
    barrier = threading.Barrier(len(calls))
    statuses = [None] * len(calls)
    errors = []

    def run(index, call):
        barrier.wait()
        try:
            statuses[index] = call[0].request(*call[1:])[0]
        except OSError as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise Failure(f"request failed: {errors[0]}")
    return statuses


def quiz_form(page):
    """The passing answers for the quiz form on `page`, with its attempt and CSRF token."""
    attempt = ATTEMPT.search(page)
    if not attempt:
        raise Failure("no open attempt on the quiz page")
    form = {"csrf_token": csrf_token(page), "attempt": attempt.group(1)}
    options = {}
    for name, token, label in CHOICE.findall(page):
        options.setdefault(name, {})[html.unescape(TAG.sub("", label)).strip()] = token
    for question, (kind, answer) in ANSWERS.items():
        name = "q-" + question
        form[name] = options[name][answer] if kind == "option" else answer
    return form


@dataclass
class Item:
    """A course item as the learner walks it."""

    kind: str  # "lesson" or "quiz"
    key: str
    path: str  # its page


@dataclass
class Journey:
    """What one completing learner sent: the status of every form posted, and how many were posted twice at once."""

    username: str
    browser: Browser
    statuses: list = field(default_factory=list)
    doubled: int = 0


def _post_of(item, browser, base):
    """Open the item's page through `base`: the (path, form) that marks it done or passes it."""
    status, _, page = browser.request(base, "GET", item.path)
    _expect(status, {200}, f"open {item.path}")
    if item.kind == "quiz":
        return item.path + "/submit", quiz_form(page)
    return item.path + "/done", {"csrf_token": csrf_token(page)}


def complete_course(browser, journey, front, instances, course_slug, items):
    """Walk a course through nginx; the first lesson and the first quiz are posted to both servers at once, and
    the last lesson and the last quiz are finished together, one on each server."""
    status, _, _ = browser.request(front, "GET", f"/courses/{course_slug}")
    _expect(status, {200}, "course page")
    first_lesson = next(i for i in items if i.kind == "lesson")
    first_quiz = next(i for i in items if i.kind == "quiz")
    for item in items[:-2]:
        path, form = _post_of(item, browser, front)
        if item is first_lesson or item is first_quiz:
            statuses = at_once([(browser, base, "POST", path, form) for base in instances])
            journey.doubled += 1
        else:
            statuses = [browser.request(front, "POST", path, form)[0]]
        journey.statuses += statuses
    last = [(browser, base, "POST", *_post_of(item, browser, front)) for item, base in zip(items[-2:], instances)]
    journey.statuses += at_once(last)
    bad = [status for status in journey.statuses if status != 302]
    if bad:
        raise Failure(f"{journey.username}: a form was answered with HTTP {bad[0]} instead of a redirect")


def login_limit_statuses(cafile, instances, tries):
    """Failed logins of one account sent alternately to each server: the status of each, in order."""
    browser = Browser(cafile)
    status, _, page = browser.request(instances[0], "GET", "/account/login")
    _expect(status, {200}, "login page")
    token = csrf_token(page)
    statuses = []
    for attempt in range(tries):
        base = instances[attempt % len(instances)]
        statuses.append(browser.request(base, "POST", "/account/login", {
            "csrf_token": token, "username": "limit-probe", "password": "wrong password"})[0])
    return statuses
