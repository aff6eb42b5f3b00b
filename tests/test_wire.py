"""Bytes on the wire: compressed pages, styles and data; media, PDFs and byte ranges untouched; hashed static files
kept by browsers for a year, unhashed ones revalidated."""
import gzip
import os
import re

import brotli
import pytest

from app.wire import IMMUTABLE

LESSON = "/courses/sample-course/basics/welcome"


def stylesheet_url(client):
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', client.get(LESSON).get_data(as_text=True)).group(1)


@pytest.mark.parametrize("encoding, decompress", [("gzip", gzip.decompress), ("br", brotli.decompress)])
def test_a_page_is_compressed_for_a_browser_that_accepts_it(client, encoding, decompress):
    plain = client.get(LESSON)
    response = client.get(LESSON, headers={"Accept-Encoding": encoding})
    assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]
    assert response.headers["Content-Encoding"] == encoding and "Accept-Encoding" in response.headers["Vary"]
    assert int(response.headers["Content-Length"]) == len(response.data) < len(plain.data) / 2
    assert decompress(response.data) == plain.data
    assert response.headers["Content-Security-Policy"] == plain.headers["Content-Security-Policy"]


def test_the_preferred_encoding_wins_and_tiny_responses_stay_plain(client):
    assert client.get(LESSON, headers={"Accept-Encoding": "gzip, br, zstd"}).headers["Content-Encoding"] == "zstd"
    assert client.get(LESSON, headers={"Accept-Encoding": "gzip;q=1, br;q=0.5"}).headers["Content-Encoding"] == "gzip"
    ping = client.get("/ping", headers={"Accept-Encoding": "gzip"})
    assert ping.data == b"pong" and "Content-Encoding" not in ping.headers


def test_a_hashed_stylesheet_is_compressed_and_immutable_an_unhashed_one_revalidated(client):
    url = stylesheet_url(client)
    with open(os.path.join(os.path.dirname(__file__), "..", "app", "static", "style.css"), "rb") as handle:
        css = handle.read()
    assert re.fullmatch(r"/static/style\.css\?v=[0-9a-f]{10}", url)
    with client.get(url, headers={"Accept-Encoding": "gzip"}) as hashed:
        assert hashed.headers["Cache-Control"] == IMMUTABLE and hashed.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(hashed.get_data()) == css and "Accept-Ranges" not in hashed.headers
    for other in ("/static/style.css", "/static/style.css?v=0123456789"):  # no hash, or the hash of an old file
        with client.get(other) as response:
            assert response.headers["Cache-Control"] == "no-cache" and response.headers["ETag"]
            etag = response.headers["ETag"]
        with client.get(other, headers={"If-None-Match": etag}) as again:
            assert again.status_code == 304


def test_every_static_file_a_page_names_is_hashed_and_immutable(client):
    html = client.get(LESSON).get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/(?:offline/)?static/[^"]+)"', html)
    assert {"style.css", "favicon.svg", "queue.js", "offline.js"} <= {re.sub(r".*/|\?.*", "", u) for u in urls}
    for url in urls:
        with client.get(url.replace("&amp;", "&")) as response:
            if "?v=" in url:
                assert response.headers["Cache-Control"] == IMMUTABLE, url
            else:
                assert "immutable" not in response.headers.get("Cache-Control", ""), url


def test_a_byte_range_of_a_stylesheet_is_sent_uncompressed(client):
    with client.get("/static/style.css", headers={"Range": "bytes=0-9", "Accept-Encoding": "gzip"}) as response:
        assert response.status_code == 206 and "Content-Encoding" not in response.headers
        assert response.get_data() == b"/* Soglia:"


def test_media_are_never_compressed_and_keep_byte_ranges_and_their_etag(client, courses_dir):
    (courses_dir / "sample-course" / "01-basics" / "talk.mp3").write_bytes(b"ID3" + bytes(range(256)) * 20)
    url = "/courses/sample-course/assets/01-basics/talk.mp3"
    with client.get(url, headers={"Accept-Encoding": "gzip, br"}) as whole:
        assert whole.status_code == 200 and "Content-Encoding" not in whole.headers
        assert whole.headers["Accept-Ranges"] == "bytes" and len(whole.get_data()) == 3 + 256 * 20
        etag = whole.headers["ETag"]
    with client.get(url, headers={"Accept-Encoding": "gzip", "Range": "bytes=3-6", "If-Range": etag}) as part:
        assert part.status_code == 206 and part.get_data() == bytes([0, 1, 2, 3])
    with client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag}) as again:
        assert again.status_code == 304


def test_the_service_worker_is_compressed_and_still_revalidated_from_the_root(client):
    with client.get("/sw.js", headers={"Accept-Encoding": "gzip"}) as response:
        assert response.headers["Content-Encoding"] == "gzip" and response.headers["Cache-Control"] == "no-cache"
        assert response.headers["Service-Worker-Allowed"] == "/"
        assert b"importScripts" in gzip.decompress(response.get_data())
