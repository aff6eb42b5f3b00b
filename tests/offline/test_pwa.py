"""The installable web app: manifest per language, icons, the service worker, and nothing from elsewhere."""
import io
import re

import pytest
from PIL import Image


@pytest.mark.parametrize("lang, direction", [("en", "ltr"), ("ar", "rtl"), ("it", "ltr")])
def test_the_web_app_manifest_speaks_the_users_language(client, lang, direction):
    response = client.get(f"/manifest.{lang}.webmanifest")
    assert response.mimetype == "application/manifest+json"
    data = response.get_json()
    assert (data["lang"], data["dir"], data["start_url"], data["scope"]) == (lang, direction, "/", "/")
    assert data["name"] == "Soglia" and data["display"] == "standalone" and data["theme_color"]
    assert all(not icon["src"].startswith("http") for icon in data["icons"])
    if lang == "it":
        assert "internet" in data["description"] and data["description"].startswith("Formazione")


def test_an_unknown_language_falls_back_to_the_default(client):
    assert client.get("/manifest.xx.webmanifest").get_json()["lang"] == "en"


def test_the_icons_are_real_images_of_the_stated_size(client):
    for icon in client.get("/manifest.en.webmanifest").get_json()["icons"]:
        with client.get(icon["src"]) as response:
            assert response.status_code == 200 and response.mimetype == icon["type"]
            if icon["type"] == "image/png":
                with Image.open(io.BytesIO(response.data)) as image:
                    assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    with client.get("/sw.js") as response:
        body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "importScripts(\"/offline/static/queue.js\")" in body
    assert not re.search(r"https?://", body)


def test_every_page_names_the_manifest_in_its_language_and_loads_nothing_from_elsewhere(client, auth):
    page = client.get("/?lang=ar").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.ar.webmanifest">' in page
    auth.as_new_user()
    page = client.get("/courses/sample-course").get_data(as_text=True)
    assert '<meta name="csrf-token"' in page
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    for script in re.findall(r'<script src="([^"]+)"', page):
        with client.get(script) as response:
            assert response.status_code == 200


def test_logging_out_clears_the_phone(client, auth):
    auth.as_new_user()
    response = auth.logout()
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert "Clear-Site-Data" not in client.get("/").headers


def test_the_offline_pages_exist_in_every_language(client):
    for lang in ("en", "ar"):
        page = client.get(f"/offline?lang={lang}").get_data(as_text=True)
        assert "data-offline-list" in page and f'lang="{lang}"' in page
        assert client.get(f"/offline/queued?lang={lang}").status_code == 200
    assert "Your answers are saved on your phone" in client.get("/offline/queued?lang=en").get_data(as_text=True)
