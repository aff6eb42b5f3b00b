"""Privacy provider: a person's cohort memberships and the places the programme report counted (exported; kept
anonymous for the programme counts) and the cohorts they created (kept, unsigned)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..extensions import db
from ..privacy.registry import Provider, jsonable, register, rows_of
from .models import Cohort, CohortMember, ProgrammePlace


def _export(user_id):
    memberships = db.session.execute(
        select(Cohort.name, CohortMember.method, CohortMember.joined_at)
        .join(Cohort, Cohort.id == CohortMember.cohort_id).where(CohortMember.user_id == user_id)
        .order_by(CohortMember.joined_at)).all()
    created = db.session.scalars(select(Cohort.name).where(Cohort.created_by_id == user_id).order_by(Cohort.id)).all()
    return {"memberships": [{"cohort": name, "joined_by": method, "joined_at": jsonable(at)}
                            for name, method, at in memberships],
            "cohorts_created": list(created),
            "counted_places": rows_of(ProgrammePlace, ProgrammePlace.user_id == user_id,
                                      exclude=("user_id", "organisation_id"), order_by=ProgrammePlace.cohort_id)}


def _erase(user):
    """Memberships stay (the account row is emptied of personal data): funders' counts stay right."""
    db.session.execute(update(Cohort).where(Cohort.created_by_id == user.id).values(created_by_id=None))


register(Provider(name="cohorts", title=_l("Groups"), tables=("cohort_members", "cohorts", "programme_places"),
                  export=_export, erase=_erase))
