"""The certificates service: codes, tolerant look-up, issuing once (also concurrently), revoking and reinstating."""
import math
import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import Certificate, CertificateEvent, LessonProgress, QuizAttempt, User
from app.services import certificates, progress, quizzes
from app.services.certificates import CODE_LENGTH, CROCKFORD, find_certificate, format_code, new_code, normalise_code
from tests.conftest import answer_key_form, run_concurrently

FORMATTED = re.compile(r"^SGL(-[0-9A-HJKMNP-TV-Z]{4}){5}$")


def load(username):
    return db.session.scalar(select(User).where(User.username == username))


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_codes_carry_at_least_80_random_bits_and_read_in_groups_of_four():
    assert len(set(CROCKFORD)) == 32 and not set("ILOU") & set(CROCKFORD)
    assert CODE_LENGTH * math.log2(len(CROCKFORD)) >= 80
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == CODE_LENGTH and set(code) <= set(CROCKFORD) for code in codes)
    assert all(FORMATTED.match(format_code(code)) for code in codes)
    # every symbol turns up in every position: no position is fixed or biased to a few symbols
    assert all(len({code[i] for code in codes}) == 32 for i in range(CODE_LENGTH))


@pytest.mark.parametrize("typed", [
    "SGL-7K4Q-9XTB-2MWD-ABCD-EFGH",
    "sgl-7k4q-9xtb-2mwd-abcd-efgh",
    "7K4Q9XTB2MWDABCDEFGH",
    " sgl 7k4q 9xtb 2mwd abcd efgh ",
    "SGL_7K4Q.9XTB-2MWD-ABCD-EFGH",
])
def test_typed_codes_are_read_in_any_case_with_or_without_separators(typed):
    assert normalise_code(typed) == "7K4Q9XTB2MWDABCDEFGH"


def test_letters_people_confuse_with_digits_are_read_as_the_digits():
    assert normalise_code("SGL-7K4Q-9XTB-2MWD-ABCD-EFGO") == "7K4Q9XTB2MWDABCDEFG0"
    assert normalise_code("iLoU" + "0" * 16) == "110V" + "0" * 16


@pytest.mark.parametrize("junk", [
    "", "SGL", "7K4Q9XTB2MWDABCDEFG", "7K4Q9XTB2MWDABCDEFGHJ", "7K4Q9XTB2MWDABCDEFG!", "x" * 65,
    "SGL-7K4Q-9XTB-2MWD-ABCD-EFGH" + " " * 40, "' OR 1=1 --", "ЅGL-7K4Q-9XTB-2MWD-ABCD-EFGH",
])
def test_anything_that_cannot_be_a_code_is_refused_before_the_database(junk, app, count_queries):
    assert normalise_code(junk) is None
    with app.app_context(), count_queries() as counter:
        assert find_certificate(junk) is None
    assert counter.count == 0


def sample_course(app):
    return app.extensions["soglia.catalog"].course("sample-course")


def test_issuing_twice_gives_the_same_certificate(app, make_user):
    make_user("amina")
    course = sample_course(app)
    with app.app_context():
        user = load("amina")
        first = certificates.issue_certificate(user, course, "NGO")
        again = certificates.issue_certificate(user, course, "Another name")
        db.session.commit()
        assert again is first and count(Certificate) == 1
        assert first.issuer_name == "NGO" and first.holder_name == "Amina Haddad"
        assert find_certificate(format_code(first.code).lower()) is first


def test_a_partner_organisations_learner_is_awarded_by_that_organisation(app, make_user):
    from app.organisations.operations import create_organisation

    make_user("amina")
    make_user("samir")
    course = sample_course(app)
    with app.app_context():
        partner = create_organisation("Associazione Ponte")
        samir = load("samir")
        samir.organisation_id = partner.id
        by_partner = certificates.issue_certificate(samir, course, "Soglia platform")
        by_platform = certificates.issue_certificate(load("amina"), course, "Soglia platform")
        db.session.commit()
        assert by_partner.issuer_name == "Associazione Ponte"
        assert by_platform.issuer_name == "Soglia platform"  # the default organisation: the configured name


def test_the_certificate_is_titled_in_the_holders_language_when_the_course_has_it(app, make_user):
    make_user("paola", display_name="Paola Rossi", locale="it")
    course = sample_course(app)
    with app.app_context():
        certificate = certificates.issue_certificate(load("paola"), course, "NGO")
        assert certificate.course_language == "it"
        assert certificate.course_title == course.texts["it"].title != course.texts["en"].title


def test_concurrent_issuing_makes_one_certificate(any_db_app, make_user):
    make_user("amina", target_app=any_db_app)
    course = sample_course(any_db_app)
    codes, errors = run_concurrently(
        any_db_app, lambda: certificates.issue_certificate(load("amina"), course, "NGO").code)
    assert errors == []
    with any_db_app.app_context():
        assert count(Certificate) == 1
        stored = db.session.scalar(select(Certificate.code))
    assert codes == [stored] * 6


def test_concurrent_completion_issues_one_certificate(any_db_app, make_user):
    make_user("amina", target_app=any_db_app)
    course = sample_course(any_db_app)
    with any_db_app.app_context():
        user = load("amina")
        for item in course.items:
            if item.kind == "lesson":
                db.session.add(LessonProgress(user_id=user.id, course_slug=course.slug, lesson_key=item.key))
            else:
                attempt = quizzes.open_attempt(user.id, course, item)
                quizzes.submit_attempt(attempt, course, item, MultiDict(answer_key_form(item, attempt=attempt)))
        db.session.commit()
        assert count(QuizAttempt) == 2 and count(Certificate) == 0
    results, errors = run_concurrently(
        any_db_app, lambda: progress.complete_if_finished(load("amina"), course, "NGO"))
    assert errors == []
    assert sum(result is not None for result in results) == 1
    with any_db_app.app_context():
        assert count(Certificate) == 1


def test_revoking_and_reinstating_record_who_when_and_why(app, make_user):
    make_user("amina")
    make_user("boss", role="admin", display_name="The Boss")
    with app.app_context():
        certificate = certificates.issue_certificate(load("amina"), sample_course(app), "NGO")
        admin = load("boss")
        certificates.revoke(certificate, admin, "Issued by mistake")
        db.session.commit()
        assert certificate.is_revoked and certificate.revoked_reason == "Issued by mistake"
        certificates.reinstate(certificate, admin, "It was right after all")
        db.session.commit()
        assert not certificate.is_revoked and certificate.revoked_at is None and certificate.revoked_reason is None
        events = db.session.scalars(select(CertificateEvent).order_by(CertificateEvent.id)).all()
        assert [(e.action, e.actor_id, e.reason) for e in events] == [
            ("revoked", admin.id, "Issued by mistake"), ("reinstated", admin.id, "It was right after all")]
        assert all(e.created_at is not None for e in events)
