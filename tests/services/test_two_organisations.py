"""Services that read or write per-organisation figures, with two organisations: each gets only its own."""
from sqlalchemy import select

from app.extensions import db
from app.models import Certificate
from app.services import progress
from tests.two_organisations import complete


def test_a_certificate_names_the_learners_own_organisation(two_organisations, catalog):
    a, b = two_organisations
    complete(a.learners[0], catalog.course("sample-course"))
    awarded = dict(db.session.execute(select(Certificate.user_id, Certificate.issuer_name)).all())
    assert awarded == {a.learners[0].id: "NGO", b.learners[0].id: "Other NGO"}


def test_course_totals_count_each_organisations_learners(two_organisations):
    a, b = two_organisations
    assert progress.course_totals(a.organisation_id) == {"sample-course": (1, 0)}
    assert progress.course_totals(b.organisation_id) == {"sample-course": (1, 1)}
