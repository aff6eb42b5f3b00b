"""Which competences a certificate attests and a learner has earned."""
from sqlalchemy import select

from ..catalog import get_catalog
from ..extensions import db
from ..models import Certificate


def declared_by(certificate, catalog):
    """The competence ids of what a certificate is for, as the course files declare them now."""
    if certificate.is_path:
        path = next((p for p in catalog.paths if p.slug == certificate.course_slug), None)
        courses = [catalog.course(slug) for slug in (path.course_slugs if path else ())]
    else:
        courses = [catalog.course(certificate.course_slug)]
    return list(dict.fromkeys(c for course in courses if course is not None for c in course.all_competences))


def competences_of(certificate):
    """The Competences a certificate attests: those recorded when it was issued (for certificates issued before
    competences were recorded, what its course declares now); ids the framework no longer has are left out."""
    catalog = get_catalog()
    known = catalog.framework.competences
    ids = certificate.competences if certificate.competences is not None else declared_by(certificate, catalog)
    return [known[identifier] for identifier in ids if identifier in known]


def earned_competences(user_id):
    """The Competences of a learner's valid (not revoked) certificates, in framework order."""
    certificates = db.session.scalars(select(Certificate).where(Certificate.user_id == user_id,
                                                                Certificate.revoked_at.is_(None))).all()
    earned = {competence.id for certificate in certificates for competence in competences_of(certificate)}
    return [competence for competence in get_catalog().framework.competences.values() if competence.id in earned]


def courses_developing(competence_id, catalog):
    """The courses that declare a competence (for the course or one of its modules), in catalogue order."""
    return [course for course in catalog.courses.values() if competence_id in course.all_competences]
