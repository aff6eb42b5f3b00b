"""Two organisations side by side, for the services' scoping tests: each must see and act only on its own rows.

A is the default organisation, B a partner; each has an admin trainer, a cohort named "Spring 2027" with the
sample course, learners in it, and one learner in no cohort. Their numbers differ on purpose (A: one learner
in the cohort who did a lesson; B: two, one of whom completed the course), so that a count over both
organisations, or over the wrong one, gives a different answer than the right one.
"""
from dataclasses import dataclass

from sqlalchemy import select

from app.cohorts.models import Cohort
from app.extensions import db
from app.models import User
from app.services import progress
from tests.cohorts.conftest import Workspace
from tests.services.test_two_learners import submit


@dataclass
class Side:
    """One organisation's people and cohort, loaded in the current app context."""

    organisation_id: int
    trainer: User
    learners: list[User]  # in the cohort
    outsider: User  # a learner of the organisation in no cohort
    cohort: Cohort


def complete(user, course):
    """Do every lesson and worksheet and pass every quiz of the course."""
    for item in course.items:
        progress.record_view(user.id, course, item.key)
        if item.kind == "quiz":
            submit(user, course, item)
        else:
            progress.mark_lesson_done(user, course, item, "NGO")
    db.session.commit()


def build(app, make_user):
    """Create both organisations; returns {"a": {...ids}, "b": {...ids}}."""
    workspace = Workspace(app, make_user)
    other = workspace.organisation("Other NGO")
    workspace.person("tina", role="trainer")
    workspace.person("bruno", role="trainer", organisation_id=other)
    ids = {"a": {"learners": [workspace.person("amina")], "outsider": workspace.person("aziz")},
           "b": {"learners": [workspace.person(name, organisation_id=other) for name in ("bilal", "bianca")],
                 "outsider": workspace.person("bea", organisation_id=other)}}
    ids["a"]["cohort"] = workspace.cohort(creator="tina", learners=ids["a"]["learners"])
    ids["b"]["cohort"] = workspace.cohort(creator="bruno", learners=ids["b"]["learners"])
    with app.app_context():
        db.session.execute(db.update(User).where(User.username.in_(("tina", "bruno"))).values(organisation_admin=True))
        course = app.extensions["soglia.catalog"].course("sample-course")
        amina, bilal = db.session.get(User, ids["a"]["learners"][0]), db.session.get(User, ids["b"]["learners"][0])
        progress.record_view(amina.id, course, "basics/welcome")
        progress.mark_lesson_done(amina, course, course.item("basics/welcome"), "NGO")
        complete(bilal, course)
        db.session.commit()
    return ids


def load(ids, trainer):
    """One side's objects, in the current app context."""
    def person(user_id):
        return db.session.get(User, user_id)

    cohort = db.session.get(Cohort, ids["cohort"])
    return Side(cohort.organisation_id, db.session.scalar(select(User).where(User.username == trainer)),
                [person(i) for i in ids["learners"]], person(ids["outsider"]), cohort)
