"""Organisations and the audit log: behaviours that surviving mutants showed untested."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.organisations import operations
from app.organisations.models import DEFAULT_SLUG, AuditEvent, Organisation


def test_slugify_drops_accents_and_punctuation_and_keeps_60_characters():
    assert operations.slugify("  Università di Bologna! ") == "universita-di-bologna"
    assert operations.slugify("-Café-") == "cafe"
    assert operations.slugify("a" * 70) == "a" * 60


def test_a_name_without_latin_letters_gets_a_plain_slug(app):
    with app.app_context():
        assert operations.create_organisation("مدرسة الأمل").slug == "organisation"


def test_a_concurrent_request_creating_the_default_organisation_first_is_not_an_error(two_organisations, monkeypatch):
    default_id = operations.default_organisation_id()
    db.session.commit()
    real_scalar = db.session.scalar
    calls = []

    def created_just_after_reading(statement, *args, **kwargs):  # the other request inserts after our read
        calls.append(statement)
        return None if len(calls) == 1 else real_scalar(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalar", created_just_after_reading)
    assert operations.default_organisation_id() == default_id
    monkeypatch.undo()
    assert db.session.scalar(select(Organisation.id).where(Organisation.slug == DEFAULT_SLUG)) == default_id


def test_audit_detail_defaults_to_empty_and_is_cut_at_300_characters(two_organisations):
    a, _ = two_organisations
    before = db.session.scalar(select(db.func.max(AuditEvent.id))) or 0
    operations.record(a.trainer, "login_cards")
    operations.record(a.trainer, "learners_imported", detail="x" * 400)
    db.session.flush()
    details = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.id > before)
                                 .order_by(AuditEvent.id)).all()
    assert details == ["", "x" * 300]



@pytest.mark.mutants_postgres
def test_events_of_the_same_instant_are_listed_newest_first(any_db_app, make_user):
    tina_id = make_user("tina", role="trainer", display_name="Tina", target_app=any_db_app)
    instant = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
    with any_db_app.app_context():
        tina = db.session.get(User, tina_id)
        for event_id in (1003, 1001, 1004, 1002):  # stored in another order than their ids
            db.session.add(AuditEvent(id=event_id, organisation_id=tina.organisation_id, actor_id=tina.id,
                                      action="login_cards", created_at=instant))
            db.session.flush()
        db.session.commit()
        page = operations.audit_page(tina.organisation_id, 1)
        assert [event.id for event in page.items if event.created_at == instant] == [1004, 1003, 1002, 1001]
