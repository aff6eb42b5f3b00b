"""The bench's floor app is a real logged-in page: the person is loaded from the session, visitors are refused."""
from bench.floor import app


def test_the_floor_page_greets_only_the_logged_in_person():
    client = app.test_client()
    assert client.get("/").status_code == 403
    assert client.get("/login").status_code == 200
    response = client.get("/")
    assert response.status_code == 200 and response.get_data(as_text=True) == "Hello, Bench!"
    client.set_cookie("session", client.get_cookie("session").value[:-3] + "AAA")  # a forged signature
    assert client.get("/").status_code == 403
