"""The privacy notice: its version, and the facts it states (organisation, contact, retention)."""
from flask import current_app

#: change this whenever the notice says something new: every user is asked to read it again
NOTICE_VERSION = "2026-11-30"


def current_version():
    return current_app.config.get("PRIVACY_NOTICE_VERSION") or NOTICE_VERSION


def notice_facts():
    """What the notice template fills in."""
    config = current_app.config
    return {"organisation": config["ORGANISATION_NAME"], "contact": config["PRIVACY_CONTACT"],
            "months": config["RETENTION_INACTIVE_MONTHS"], "version": current_version()}
