"""Progress: behaviours that surviving mutants showed untested."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from app.extensions import db
from app.models import CourseCompletion, Enrolment
from app.services import progress


def test_course_totals_count_completions_per_course(two_organisations):
    a, _ = two_organisations
    learner, other = a.learners[0], a.outsider
    for user, slug in ((learner, "first-course"), (other, "first-course"), (learner, "second-course")):
        db.session.add(CourseCompletion(user_id=user.id, course_slug=slug, course_version="1"))
    db.session.flush()
    totals = progress.course_totals(a.organisation_id)
    assert totals["first-course"][1] == 2
    assert totals["second-course"][1] == 1


def test_an_enrolment_made_by_a_concurrent_request_is_updated(app, make_user, monkeypatch):
    user_id = make_user()
    course = app.extensions["soglia.catalog"].course("sample-course")
    with app.app_context():
        db.session.add(Enrolment(user_id=user_id, course_slug=course.slug, last_item_key=course.items[0].key))
        db.session.commit()
        real_enrolment = progress._enrolment
        calls = []

        def enrolled_just_after_reading(*args):  # the other request enrols them after our read
            calls.append(args)
            return None if len(calls) == 1 else real_enrolment(*args)

        monkeypatch.setattr(progress, "_enrolment", enrolled_just_after_reading)
        assert progress.record_view(user_id, course, course.items[1].key)
        monkeypatch.undo()
        db.session.commit()
        assert db.session.scalars(select(Enrolment.last_item_key).where(Enrolment.user_id == user_id)).all() == [
            course.items[1].key]


def test_reopening_an_item_exactly_when_the_interval_ends_writes_again(app, make_user, monkeypatch):
    user_id = make_user()
    course = app.extensions["soglia.catalog"].course("sample-course")
    opened = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
    with app.app_context():
        monkeypatch.setattr(progress, "utcnow", lambda: opened)
        assert progress.record_view(user_id, course, course.items[0].key)
        db.session.commit()
        monkeypatch.setattr(progress, "utcnow", lambda: opened + progress.VIEW_WRITE_INTERVAL - timedelta(seconds=1))
        assert not progress.record_view(user_id, course, course.items[0].key)
        monkeypatch.setattr(progress, "utcnow", lambda: opened + progress.VIEW_WRITE_INTERVAL)
        assert progress.record_view(user_id, course, course.items[0].key)


def test_a_path_certificate_names_the_same_issuer_as_the_course_certificates(client, auth, app, courses_dir):
    from app.models import Certificate
    from tests.certificates.conftest import complete_course
    from tests.certificates.test_paths import add_two_course_path

    catalog = add_two_course_path(app, courses_dir)
    auth.as_new_user()
    for slug in ("sample-course", "second-course"):
        complete_course(client, catalog.course(slug))
    with app.app_context():
        issuers = dict(db.session.execute(select(Certificate.kind, Certificate.issuer_name)).all())
    assert issuers["path"] == issuers["course"] == app.config["ORGANISATION_NAME"]
