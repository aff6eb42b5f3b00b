"""Bytes on the wire for a logged-in learner's lesson page (the heaviest English lesson of courses/): on a cold
browser cache (the page and every file it names) and on a warm one (what the browser still asks for), with and
without compression. Counts the status line, headers and body of each response.
"""
import re
import tempfile
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: what a current browser sends
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}
PASSWORD = "bench password"
SUBRESOURCE = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(/[^"]+)"')


def _app(tmp):
    from app import create_app
    from app.extensions import db
    from app.privacy import operations as privacy
    from app.services import accounts

    app = create_app({"INSTANCE_PATH": str(Path(tmp) / "instance"), "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.db'}", "COURSES_DIR": str(ROOT / "courses"),
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"})
    with app.app_context():
        db.create_all()
        privacy.accept_notice(accounts.create_user(username="learner", display_name="Learner", password=PASSWORD,
                                                   role="learner", track="entrepreneur", locale="en",
                                                   hash_method="pbkdf2:sha256:1"))
        db.session.commit()
    return app


def wire_bytes(response):
    """Status line, headers and body as sent."""
    head = len(f"HTTP/1.1 {response.status}\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in response.headers.items()) + 2
    with response:
        return head + len(response.get_data())


def _heaviest_lesson(app, client):
    catalog = app.extensions["soglia.catalog"]
    urls = [f"/courses/{course.slug}/{item.module_slug}/{item.slug}" for course in catalog.courses.values()
            for item in course.items if item.kind == "lesson"]
    return max(urls, key=lambda url: len(client.get(url).data))


def _kept(response):
    """True when a browser may reuse its copy without asking (a max-age, no no-cache)."""
    control = response.headers.get("Cache-Control", "")
    age = re.search(r"max-age=(\d+)", control)
    return bool(age and int(age.group(1)) > 0 and "no-cache" not in control and "no-store" not in control)


def measure(client, url, headers):
    """(cold bytes, warm bytes, requests on a warm cache) for the page at `url`."""
    page = client.get(url, headers=headers)
    assert page.status_code == 200 and b"Log out" in client.get(url).data, page.status
    html = page.get_data(as_text=True) if "Content-Encoding" not in page.headers else client.get(url).get_data(
        as_text=True)
    cold = warm = wire_bytes(page)
    requests = 1
    for link in dict.fromkeys(unescape(found) for found in SUBRESOURCE.findall(html)):
        response = client.get(link, headers=headers)
        kept, etag = _kept(response), response.headers.get("ETag")
        cold += wire_bytes(response)
        if not kept:  # asked again: a 304 when unchanged
            requests += 1
            warm += wire_bytes(client.get(link, headers={**headers, "If-None-Match": etag or ""}))
    return cold, warm, requests


def main():
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(tmp)
        client = app.test_client()
        client.post("/account/login", data={"username": "learner", "password": PASSWORD})
        url = _heaviest_lesson(app, client)
        compressed = measure(client, url, BROWSER)
        plain = measure(client, url, {})
    print(f"\nbytes on the wire, logged-in lesson {url}:")
    print(f"  cold cache (page + CSS, scripts, icons, images): {compressed[0] / 1024:.1f} KB compressed, "
          f"{plain[0] / 1024:.1f} KB without compression")
    print(f"  warm cache: {compressed[1] / 1024:.1f} KB in {compressed[2]} request(s) compressed, "
          f"{plain[1] / 1024:.1f} KB without compression")


if __name__ == "__main__":
    main()
