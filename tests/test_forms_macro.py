"""The forms macro writes only the attributes a field has: never a Python `None` into the HTML."""
import re

NONE_ATTRIBUTE = re.compile(r'\s[\w-]+="None"')


def test_form_pages_have_no_none_attributes(client, auth):
    pages = [client.get("/account/login"), client.get("/account/register"),
             client.post("/account/login", data={"username": "nobody", "password": "wrong"})]
    auth.as_new_user()
    pages += [client.get("/account/profile"), client.get("/account/password")]
    for response in pages:
        html = response.get_data(as_text=True)
        assert 'name="username"' in html or 'name="password"' in html or 'name="display_name"' in html
        assert NONE_ATTRIBUTE.findall(html) == []


def test_a_field_with_an_error_is_invalid_and_described(client):
    html = client.post("/account/register", data={"username": "x", "password": "short", "confirm": "other"}
                       ).get_data(as_text=True)
    password = re.search(r'<input[^>]*id="password"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in password
    assert 'aria-describedby="password-help"' in password
    assert 'id="password-help"' in html
    username_input = re.search(r'<input[^>]*id="username"[^>]*>', html).group(0)
    assert 'autocomplete="username"' in username_input
