"""My data: export everything (JSON, readable page, PDF) and delete the account, leaving no trace of the person."""
import json

from sqlalchemy import select, text

from app.extensions import db
from app.models import Certificate, QuestionAnswer, QuizAttempt, User
from app.privacy.operations import HOLDER_DELETED
from app.services import certificates
from tests.certificates.conftest import complete_course
from tests.conftest import PASSWORD

NAME, USERNAME, EMAIL = "Zelda Quixote-Marsh", "zelda-q", "zelda.q@example.org"


def learner_with_a_certificate(app, client, auth, make_user):
    """Zelda completes the sample course through the client; an admin revokes and reinstates her certificate."""
    user_id = make_user(USERNAME, display_name=NAME)
    admin_id = make_user("boss", role="admin", display_name="Boss")
    with app.app_context():
        db.session.get(User, user_id).email = EMAIL
        db.session.commit()
    auth.login(USERNAME)
    complete_course(client, app.extensions["soglia.catalog"].course("sample-course"))
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == user_id))
        admin = db.session.get(User, admin_id)
        certificates.revoke(certificate, admin, f"{NAME} asked to check the spelling")
        certificates.reinstate(certificate, admin, f"spelling of {NAME} is right")
        db.session.commit()
        return user_id, certificates.format_code(certificate.code)


def delete_account(client, password=PASSWORD):
    return client.post("/privacy/delete", data={"password": password, "confirm": "y"})


def test_the_json_export_holds_profile_progress_answers_and_certificates(app, client, auth, make_user):
    user_id, code = learner_with_a_certificate(app, client, auth, make_user)
    response = client.get("/privacy/my-data.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sections = json.loads(response.get_data(as_text=True))["sections"]
    assert sections["account"]["profile"]["display_name"] == NAME
    assert sections["account"]["profile"]["email"] == EMAIL
    assert sections["account"]["profile"]["notice_version"]
    assert sections["account"]["recovery_codes"] == {"unused": 0, "used": 0}
    assert {row["course_slug"] for row in sections["progress"]["courses_completed"]} == {"sample-course"}
    assert len(sections["progress"]["lessons_done"]) == 3
    attempts = sections["quiz_attempts"]
    with app.app_context():
        stored = db.session.scalars(select(QuestionAnswer).join(QuizAttempt)
                                    .where(QuizAttempt.user_id == user_id)).all()
    exported = [answer for attempt in attempts for answer in attempt["answers"]]
    assert sorted((a["question_id"], json.dumps(a["response"])) for a in exported) == \
        sorted((a.question_id, json.dumps(a.response)) for a in stored)
    assert [c["code"] for c in sections["certificates"]["held"]] == [code]
    assert [e["action"] for e in sections["certificates"]["held"][0]["events"]] == ["revoked", "reinstated"]
    assert sections["certificates"]["actions_as_staff"] == []
    client.post("/account/logout")
    auth.login("boss")
    staff = json.loads(client.get("/privacy/my-data.json").get_data(as_text=True))["sections"]["certificates"]
    assert [e["action"] for e in staff["actions_as_staff"]] == ["revoked", "reinstated"] and staff["held"] == []
    body = response.get_data(as_text=True)
    assert "password_hash" not in body and "key_hash" not in body and "code_hash" not in body


def test_the_readable_export_and_the_pdf(app, client, auth, make_user):
    learner_with_a_certificate(app, client, auth, make_user)
    page = client.get("/privacy/my-data.html").get_data(as_text=True)
    assert NAME in page and "Your certificates" in page and "Your quiz attempts and answers" in page
    pdf = client.get("/privacy/my-data.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_export_and_deletion_need_a_login(client):
    for url in ("/privacy/my-data", "/privacy/my-data.json", "/privacy/my-data.html"):
        assert client.get(url).status_code == 302
    assert client.post("/privacy/delete", data={"password": "x", "confirm": "y"}).status_code == 302


def test_deletion_needs_the_password_and_the_tick(app, client, auth, make_user):
    auth.as_new_user(USERNAME)
    assert delete_account(client, "wrong password").status_code == 422
    assert client.post("/privacy/delete", data={"password": PASSWORD}).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(User.anonymised_at).where(User.username == USERNAME)) is None


def test_the_only_admin_cannot_delete_their_account(app, client, auth):
    auth.as_new_user("boss", role="admin")
    assert delete_account(client).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "boss")).is_active


def every_value_in_the_database(app):
    """(table, row) for every row of every table, as strings."""
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)).all():
                yield table.name, " ".join(str(value) for value in row)


def test_after_deletion_no_row_anywhere_holds_the_name_username_email_or_answers(any_db_app, make_user):
    app = any_db_app
    client = app.test_client()
    from tests.conftest import AuthActions

    auth = AuthActions(client, lambda *a, **k: make_user(*a, target_app=app, **k))
    user_id, _code = learner_with_a_certificate(app, client, auth, auth._make_user)
    auth._make_user("other", display_name="Other Learner")
    found = [table for table, row in every_value_in_the_database(app) if USERNAME in row or "Zelda" in row]
    assert {"users", "certificates", "certificate_events"} <= set(found)  # the scan can see her before
    client.post("/account/recovery-codes")

    response = delete_account(client)
    assert response.status_code == 302
    leftovers = [(table, row) for table, row in every_value_in_the_database(app)
                 if any(mark.lower() in row.lower() for mark in (USERNAME, "Zelda", "Quixote", EMAIL))]
    assert leftovers == []
    with app.app_context():
        answers = db.session.scalars(select(QuestionAnswer.response).join(QuizAttempt)
                                     .where(QuizAttempt.user_id == user_id)).all()
        assert answers and all(response is None for response in answers)
        assert db.session.execute(text("SELECT count(*) FROM login_sessions WHERE user_id = :u"),
                                  {"u": user_id}).scalar() == 0
        assert db.session.execute(text("SELECT count(*) FROM recovery_codes WHERE user_id = :u"),
                                  {"u": user_id}).scalar() == 0
        certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == user_id))
        assert certificate.is_revoked and certificate.revoked_reason == HOLDER_DELETED
        assert db.session.scalar(select(User.display_name).where(User.username == "other")) == "Other Learner"
    assert client.get("/account/profile").status_code == 302  # logged out
    assert auth.login(USERNAME).status_code == 200  # and cannot log in again


def test_the_verify_page_of_a_deleted_holder_shows_revoked_and_no_name(app, client, auth, make_user, tmp_path):
    app.config["CERTIFICATE_PDF_DIR"] = str(tmp_path / "pdfs")
    _user_id, code = learner_with_a_certificate(app, client, auth, make_user)
    with client.get(f"/certificates/{code}.pdf") as pdf:
        assert pdf.status_code == 200
    assert list((tmp_path / "pdfs").glob("*.pdf"))
    delete_account(client)
    assert not list((tmp_path / "pdfs").glob("*.pdf"))  # the rendered PDF showed the name
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Revoked" in page and HOLDER_DELETED in page
    assert "Zelda" not in page and "Quixote" not in page


def test_the_trainer_page_forgets_the_learner_but_keeps_the_totals(app, client, auth, make_user):
    learner_with_a_certificate(app, client, auth, make_user)
    make_user("teacher", role="trainer", display_name="Teacher")
    trainer = app.test_client()
    trainer.post("/account/login", data={"username": "teacher", "password": PASSWORD})
    before = trainer.get("/trainer/learners").get_data(as_text=True)
    assert NAME in before and "1 started, 1 completed" in before
    delete_account(client)
    after = trainer.get("/trainer/learners").get_data(as_text=True)
    assert NAME not in after and USERNAME not in after
    assert "1 started, 1 completed" in after


def test_a_username_in_arabic_downloads_fine(client, auth):
    auth.as_new_user("أمينة", display_name="أمينة حداد")
    response = client.get("/privacy/my-data.json")
    assert response.status_code == 200 and "أمينة حداد" in response.get_data(as_text=True)
    assert response.headers["Content-Disposition"].startswith('attachment; filename="soglia-my-data-')
