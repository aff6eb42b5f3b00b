"""Authorisation in one place: a trainer of organisation B gets 404 on every URL of organisation A's objects."""
import pytest

from tests.cohorts.conftest import Workspace, do_lesson

#: every trainer URL that names a cohort or a person, with the method to try
URLS = [
    ("GET", "/trainer/cohorts/{cohort}/"),
    ("GET", "/trainer/cohorts/{cohort}/manage"),
    ("POST", "/trainer/cohorts/{cohort}/manage"),
    ("POST", "/trainer/cohorts/{cohort}/courses"),
    ("POST", "/trainer/cohorts/{cohort}/courses/sample-course/remove"),
    ("POST", "/trainer/cohorts/{cohort}/code"),
    ("GET", "/trainer/cohorts/{cohort}/learners/add"),
    ("POST", "/trainer/cohorts/{cohort}/learners/add"),
    ("POST", "/trainer/cohorts/{cohort}/learners/{learner}/remove"),
    ("GET", "/trainer/cohorts/{cohort}/import"),
    ("POST", "/trainer/cohorts/{cohort}/import"),
    ("GET", "/trainer/cohorts/{cohort}/cards"),
    ("POST", "/trainer/cohorts/{cohort}/cards"),
    ("GET", "/trainer/cohorts/{cohort}/quizzes"),
    ("GET", "/trainer/cohorts/{cohort}/quizzes/sample-course/basics/check"),
    ("GET", "/trainer/cohorts/{cohort}/export/progress.csv"),
    ("GET", "/trainer/cohorts/{cohort}/export/progress.xlsx"),
    ("GET", "/trainer/cohorts/{cohort}/export/quizzes.csv"),
    ("GET", "/trainer/cohorts/{cohort}/export/quizzes.xlsx"),
    ("GET", "/trainer/cohorts/{cohort}/export/certificates.csv"),
    ("GET", "/trainer/cohorts/{cohort}/export/certificates.xlsx"),
    ("GET", "/trainer/learners/{learner}"),
    ("GET", "/trainer/people/{learner}/password"),
    ("POST", "/trainer/people/{learner}/password"),
    ("POST", "/organisation/people/{learner}/role"),
]


@pytest.fixture
def two_organisations(app, client, make_user):
    """Organisation A (default) with a cohort and a learner who did a lesson; B's admin trainer logged in."""
    workspace = Workspace(app, make_user)
    workspace.person("tina", role="trainer")
    learner = workspace.person("amina")
    cohort = workspace.cohort(learners=[learner])
    do_lesson(workspace.learner_client("amina"))
    other = workspace.organisation("Other NGO")
    workspace.person("bruno", role="trainer", organisation_id=other)
    client.post("/account/login", data={"username": "bruno", "password": "correct horse"})
    return {"cohort": cohort, "learner": learner, "other": other, "workspace": workspace}


@pytest.mark.parametrize("method, url", URLS)
def test_another_organisations_objects_are_not_found(two_organisations, client, app, method, url):
    with app.app_context():
        from app.extensions import db
        from app.models import User

        bruno = db.session.scalar(db.select(User).where(User.username == "bruno"))
        bruno.organisation_admin = True  # even an organisation admin of B
        db.session.commit()
    target = url.format(**two_organisations)
    response = client.open(target, method=method, data={"learners": [two_organisations["learner"]], "role": "trainer"})
    assert response.status_code == 404, target


def test_every_trainer_url_with_an_object_is_in_the_list(app):
    """A new route taking a cohort or person id must be added to URLS (and so be checked)."""
    listed = {url.format(cohort="<int:cohort_id>", learner="<int:user_id>").replace(
        "sample-course/basics/check", "<course_slug>/<module_slug>/<item_slug>").replace(
        "courses/sample-course/remove", "courses/<course_slug>/remove") for _m, url in URLS}
    listed = {u.replace("progress.csv", "<kind>.<fmt>").replace("progress.xlsx", "<kind>.<fmt>")
              .replace("quizzes.csv", "<kind>.<fmt>").replace("quizzes.xlsx", "<kind>.<fmt>")
              .replace("certificates.csv", "<kind>.<fmt>").replace("certificates.xlsx", "<kind>.<fmt>") for u in listed}
    with_ids = {rule.rule for rule in app.url_map.iter_rules()
                if ("cohort_id" in rule.arguments or "user_id" in rule.arguments)
                and rule.endpoint.split(".")[0] in {"cohorts", "organisations"}}
    assert with_ids <= listed


def test_the_same_urls_work_for_the_own_organisation(two_organisations, app):
    own = app.test_client()
    own.post("/account/login", data={"username": "tina", "password": "correct horse"})
    for method, url in URLS:
        if method == "GET":
            target = url.format(**two_organisations)
            with own.get(target) as response:
                assert response.status_code == 200, target


def test_lists_show_only_the_own_organisation(two_organisations, client):
    assert "Spring 2027" not in client.get("/trainer/cohorts/").get_data(as_text=True)
    assert "Amina" not in client.get("/trainer/learners").get_data(as_text=True)
    report = client.get("/trainer/report").get_data(as_text=True)
    assert "Spring 2027" not in report


def test_a_learner_cannot_use_trainer_pages(two_organisations, app):
    learner = two_organisations["workspace"].learner_client("amina")
    assert learner.get(f"/trainer/cohorts/{two_organisations['cohort']}/").status_code == 403
