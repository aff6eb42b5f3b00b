"""Path certificates: completing every course of a learning path issues one, once, listing the courses."""
import json
import shutil

from sqlalchemy import func, select

from app import catalog as catalog_module
from app.certificates import dataintegrity
from app.certificates.paths import issue_path_certificates
from app.extensions import db
from app.models import Certificate, CourseCompletion, User
from app.services.certificates import format_code
from tests.certificates.conftest import complete_course
from tests.certificates.test_pdf import download, page_text
from tests.conftest import run_concurrently

PATH = """
- slug: money-basics
  title:
    en: Money basics path
    it: Percorso sulle basi del denaro
  summary:
    en: Two courses.
  audience: both
  courses: [sample-course, second-course]
"""


def add_two_course_path(app, courses_dir):
    """A second course (a copy of the sample one, retitled) and a path of both."""
    shutil.copytree(courses_dir / "sample-course", courses_dir / "second-course")
    for name, title in (("course.md", "Second course"), ("course.it.md", "Secondo corso")):
        path = courses_dir / "second-course" / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(text.split("title: ", 1)[1].split("\n", 1)[0], title, 1), encoding="utf-8")
    with (courses_dir / "paths.yml").open("a", encoding="utf-8") as handle:
        handle.write(PATH)
    catalog = catalog_module.reload(app)
    assert catalog.course("second-course").texts["it"].title == "Secondo corso"
    return catalog


def path_certificates(app):
    with app.app_context():
        return db.session.scalars(select(Certificate).where(Certificate.kind == "path")).all()


def test_completing_every_course_of_a_path_issues_one_path_certificate(client, auth, app, courses_dir):
    catalog = add_two_course_path(app, courses_dir)
    auth.as_new_user()
    complete_course(client, catalog.course("sample-course"))
    assert path_certificates(app) == []  # one course of two: no path certificate yet
    complete_course(client, catalog.course("second-course"))
    complete_course(client, catalog.course("second-course"))  # again: still one
    (certificate,) = path_certificates(app)
    assert certificate.course_slug == "money-basics" and certificate.course_title == "Money basics path"
    assert certificate.courses == [{"slug": "sample-course", "title": "Sample course"},
                                   {"slug": "second-course", "title": "Second course"}]
    code = format_code(certificate.code)
    mine = client.get("/certificates").get_data(as_text=True)
    assert "Money basics path" in mine and "Learning path" in mine
    show = client.get(f"/certificates/{code}").get_data(as_text=True)
    assert "has completed the learning path" in show and "Second course" in show
    text = page_text(download(client, code).data)  # bilingual: English holder, Italian organisation
    assert "has completed the learning path" in text and "ha completato il percorso formativo" in text
    assert "Money basics path" in text and "Percorso sulle basi del denaro" in text
    assert "Sample course · Second course" in text


def test_the_verify_page_and_the_credential_list_the_courses(client, auth, app, courses_dir):
    catalog = add_two_course_path(app, courses_dir)
    auth.as_new_user()
    for slug in ("sample-course", "second-course"):
        complete_course(client, catalog.course(slug))
    code = format_code(path_certificates(app)[0].code)
    visitor = app.test_client()
    page = visitor.get(f"/verify/{code}", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert "Percorso formativo" in page and "Percorso sulle basi del denaro" in page
    assert '<li lang="it" dir="auto">Corso di prova</li>' in page and "Secondo corso" in page
    credential = json.loads(client.get(f"/verify/{code}.json").get_data(as_text=True))
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "LearningProgram"
    assert achievement["id"] == "http://localhost/paths/money-basics"
    assert "Sample course; Second course" in achievement["criteria"]["narrative"]
    assert "learning path" in credential["description"]
    did_document = json.loads(client.get("/.well-known/did.json").get_data(as_text=True))
    assert dataintegrity.verify(credential, dataintegrity.key_resolver(did_document))


def test_a_path_of_one_course_earns_no_certificate_of_its_own(client, auth, app, catalog):
    assert [path.course_slugs for path in catalog.paths] == [("sample-course",)]
    auth.as_new_user()
    complete_course(client, catalog.course("sample-course"))
    assert path_certificates(app) == []


def test_concurrent_requests_issue_the_path_certificate_once(any_db_app, make_user, tmp_path):
    courses_dir = tmp_path / "courses"
    any_db_app.config["COURSES_DIR"] = str(courses_dir)
    catalog = add_two_course_path(any_db_app, courses_dir)
    make_user("amina", target_app=any_db_app)
    with any_db_app.app_context():
        user_id = db.session.scalar(select(User.id))
        for slug in ("sample-course", "second-course"):
            db.session.add(CourseCompletion(user_id=user_id, course_slug=slug, course_version="v"))
        db.session.commit()

    def issue():
        return len(issue_path_certificates(db.session.get(User, user_id), catalog, "NGO"))

    results, errors = run_concurrently(any_db_app, issue)
    assert errors == [] and sum(results) == 1
    with any_db_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
