"""Printable login cards: one per learner, with username, one-time password and a QR of the login page."""
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from ..certificates.pdf import qr_data_uri
from ..extensions import db
from ..i18n import text_direction
from ..links import public_url
from ..models import User
from ..organisations import operations as organisations
from ..services import accounts
from .models import CohortMember


def learners_for_cards(cohort, user_ids=None):
    """The cohort's learners who have not chosen their own password yet (or those chosen), by name."""
    query = (select(User).join(CohortMember, CohortMember.user_id == User.id)
             .where(CohortMember.cohort_id == cohort.id, User.role == "learner"))
    if user_ids:
        query = query.where(User.id.in_(user_ids))
    else:
        query = query.where(User.must_change_password.is_(True))
    return db.session.scalars(query.order_by(User.display_name, User.id)).all()


def issue_cards(actor, cohort, learners):
    """Give each learner a new one-time password, recorded in the audit log.

    :return: [(user, password)] for the cards; the passwords are never stored in clear
    """
    method = current_app.config["PASSWORD_HASH_METHOD"]
    cards = [(user, accounts.reset_password(user, actor, method)) for user in learners]
    organisations.record(actor, "login_cards", None, f"{cohort.name}: {len(cards)}")
    return cards


def render_cards_pdf(cohort, cards, organisation_name):
    """The cards as PDF bytes; each card in its learner's own language and direction."""
    rendered = []
    for user, password in cards:
        login_url = public_url("auth.login", username=user.username)
        with force_locale(user.locale):
            rendered.append(render_template(
                "cohorts/card.html", user=user, password=password, login_url=login_url, qr=qr_data_uri(login_url),
                lang=user.locale, direction=text_direction(user.locale), organisation_name=organisation_name))
    html = render_template("cohorts/cards.html", cohort=cohort, cards=rendered)
    from weasyprint import HTML, URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()
