"""Path certificates: completing every course of a learning path earns one, once."""
import hashlib
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..content.model import Catalog, Course, LearningPath
from ..extensions import db
from ..models import Certificate, CourseCompletion, User
from ..organisations.operations import awarding_name
from ..services.certificates import new_code


def path_certificate_of(user_id: int, path_slug: str) -> Certificate | None:
    """The learner's certificate for a learning path, or None."""
    return db.session.scalar(select(Certificate).where(Certificate.user_id == user_id, Certificate.kind == "path",
                                                       Certificate.course_slug == path_slug))


def path_language(user: User, path: LearningPath) -> str:
    """The learner's language if the path has a title in it, else English, else the path's first language."""
    if user.locale in path.titles:
        return user.locale
    return "en" if "en" in path.titles else next(iter(path.titles))


def path_version(courses: Sequence[Course]) -> str:
    """The path's content version: a hash of its courses' versions, in order."""
    return hashlib.sha256("\n".join(f"{c.slug}:{c.version}" for c in courses).encode()).hexdigest()


def issue_path_certificates(user: User, catalog: Catalog, organisation_name: str) -> list[Certificate]:
    """Issue a certificate for every path whose courses the learner has all completed, once per path
    (a unique constraint on learner, kind and slug makes concurrent calls issue it once). A path of a single
    course earns none: its course certificate already says everything.

    :return: the certificates issued by this call
    """
    completed = set(db.session.scalars(select(CourseCompletion.course_slug)
                                       .where(CourseCompletion.user_id == user.id)))
    issued = []
    for path in catalog.paths:
        found = [catalog.course(slug) for slug in path.course_slugs]
        courses = [course for course in found if course is not None]
        if len(courses) < 2 or len(courses) < len(found) or not completed.issuperset(path.course_slugs):
            continue
        if path_certificate_of(user.id, path.slug) is not None:
            continue
        language = path_language(user, path)
        certificate = Certificate(
            kind="path", code=new_code(), user_id=user.id, course_slug=path.slug, holder_name=user.display_name,
            course_title=path.title(language), course_version=path_version(courses), course_language=language,
            issuer_name=awarding_name(user.organisation_id, organisation_name),
            competences=list(dict.fromkeys(c for course in courses for c in course.all_competences)),
            courses=[{"slug": course.slug, "title": (course.texts.get(language) or course.texts[course.language]).title}
                     for course in courses],
        )
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
        except IntegrityError:
            continue  # issued meanwhile by a concurrent request
        issued.append(certificate)
    return issued
