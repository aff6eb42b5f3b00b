"""The cluster bench's learners against two real (in-process) servers on one database: what `make bench-cluster`
does through nginx, here without it, so a change of the pages that breaks the bench shows up in `make test`."""
from app import create_app
from app.extensions import db
from bench import cluster_learners as learners
from bench.cluster import course_items, expected_work, make_learners
from bench.cluster_checks import integrity_problems
from bench.cluster_course import COURSES, write_courses
from tests.conftest import LiveServer, make_config


def test_learners_complete_the_courses_across_two_servers_exactly_once(tmp_path):
    write_courses(tmp_path / "courses")
    apps = [create_app(make_config(tmp_path / name, tmp_path / "courses", WTF_CSRF_ENABLED=True,
                                   INSTANCE_PATH=str(tmp_path / name / "instance"),
                                   DATABASE_URL=f"sqlite:///{tmp_path / 'shared.db'}")) for name in ("a", "b")]
    with apps[0].app_context():
        db.create_all()
    names = make_learners(apps[0], "learner", 2)
    with LiveServer(apps[0]) as first, LiveServer(apps[1]) as second:
        servers = [first.url, second.url]
        for name in names:
            browser = learners.Browser()
            learners.log_in(browser, first.url, name)
            walked = learners.Journey(name, browser)
            for slug in COURSES:
                learners.complete_course(browser, walked, first.url, servers, slug, course_items(apps[0], slug))
            assert walked.doubled == 2 * len(COURSES)
        statuses = learners.login_limit_statuses(None, servers, 3)
    assert statuses == [200, 200, 200]  # failed logins are shown the form again, not an error
    with apps[0].app_context(), db.engine.connect() as conn:
        assert integrity_problems(conn, expected_work(apps[0], names)) == []
    for app in apps:
        with app.app_context():
            db.engine.dispose()
