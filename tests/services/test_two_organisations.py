"""Services that read or write per-organisation figures, with two organisations: each gets only its own."""
import shutil

from sqlalchemy import select

from app.catalog import reload
from app.extensions import db
from app.models import Certificate, CourseCompletion
from app.services import progress
from tests.two_organisations import complete


def test_a_certificate_names_the_learners_own_organisation(two_organisations, catalog):
    a, b = two_organisations
    complete(a.learners[0], catalog.course("sample-course"))
    awarded = dict(db.session.execute(select(Certificate.user_id, Certificate.issuer_name)).all())
    assert awarded == {a.learners[0].id: "NGO", b.learners[0].id: "Other NGO"}


def test_course_totals_count_each_organisations_learners_per_course(two_organisations, app, courses_dir):
    a, b = two_organisations
    shutil.copytree(courses_dir / "sample-course", courses_dir / "second-course")
    second = reload(app).course("second-course")
    progress.record_view(a.learners[0].id, second, "basics/welcome")
    progress.record_view(b.learners[1].id, second, "basics/welcome")
    progress.record_view(b.learners[1].id, catalog_course(app), "basics/welcome")
    # a completion brought from elsewhere (an offline device, an older version) with no enrolment here
    db.session.add(CourseCompletion(user_id=a.outsider.id, course_slug="third-course", course_version="1"))
    db.session.flush()
    assert progress.course_totals(a.organisation_id) == {"sample-course": (1, 0), "second-course": (1, 0),
                                                         "third-course": (0, 1)}
    assert progress.course_totals(b.organisation_id) == {"sample-course": (2, 1), "second-course": (1, 0)}


def catalog_course(app):
    return app.extensions["soglia.catalog"].course("sample-course")
