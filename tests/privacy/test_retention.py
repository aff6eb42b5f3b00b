"""Retention: `flask privacy retention` anonymises learners inactive for N months; totals stay right."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, User
from app.models.base import utcnow
from app.privacy.operations import months_before


def set_last_seen(app, username, when):
    with app.app_context():
        found = db.session.scalar(select(User).where(User.username == username))
        found.last_seen_at = when
        db.session.add(Enrolment(user_id=found.id, course_slug="sample-course"))
        db.session.commit()


def state(app, username):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def test_months_before_clamps_to_the_end_of_shorter_months():
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 24) == datetime(2024, 1, 15, tzinfo=UTC)


def test_inactive_learners_are_anonymised_and_the_others_kept(app, runner, make_user):
    for name, role in (("old", "learner"), ("recent", "learner"), ("oldtrainer", "trainer")):
        make_user(name, role=role, display_name=f"Person {name}")
    set_last_seen(app, "old", utcnow() - timedelta(days=25 * 31))
    set_last_seen(app, "recent", utcnow() - timedelta(days=23 * 30))
    set_last_seen(app, "oldtrainer", utcnow() - timedelta(days=25 * 31))

    dry = runner.invoke(args=["privacy", "retention", "--dry-run"])
    assert "1 account(s) inactive for 24 months would be anonymised" in dry.output
    assert state(app, "old").is_active

    result = runner.invoke(args=["privacy", "retention"])
    assert result.exit_code == 0 and "1 account(s) inactive for 24 months anonymised" in result.output
    assert state(app, "old") is None  # renamed: no username left
    assert state(app, "recent").is_active and state(app, "oldtrainer").is_active
    with app.app_context():
        assert db.session.scalar(select(User.display_name).where(User.anonymised_at.is_not(None))) == ""
        assert len(db.session.scalars(select(Enrolment)).all()) == 3  # counts stay


def test_months_option_and_off_switch(app, runner, make_user):
    make_user("old")
    set_last_seen(app, "old", utcnow() - timedelta(days=100))
    assert "0 account(s)" in runner.invoke(args=["privacy", "retention"]).output
    assert "1 account(s) inactive for 3 months" in runner.invoke(args=["privacy", "retention", "--months", "3"]).output
    app.config["RETENTION_INACTIVE_MONTHS"] = 0
    assert "Retention is off" in runner.invoke(args=["privacy", "retention"]).output


def test_a_visit_counts_as_activity(app, client, auth):
    auth.as_new_user("amina")
    set_last_seen(app, "amina", utcnow() - timedelta(days=3))
    client.get("/")
    assert utcnow() - state(app, "amina").last_seen_at < timedelta(minutes=1)


def test_an_administrator_can_export_and_erase_an_account_from_the_command_line(app, runner, make_user):
    make_user("amina", display_name="Amina Haddad")
    exported = runner.invoke(args=["privacy", "export", "amina"])
    assert exported.exit_code == 0 and '"display_name": "Amina Haddad"' in exported.output
    assert runner.invoke(args=["privacy", "erase", "amina"], input="n\n").exit_code == 1
    assert state(app, "amina").is_active
    erased = runner.invoke(args=["privacy", "erase", "amina", "--yes"])
    assert erased.exit_code == 0 and state(app, "amina") is None
    assert "no active account" in runner.invoke(args=["privacy", "export", "amina"]).output
