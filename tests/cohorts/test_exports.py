"""Exports (CSV and XLSX, streamed) and the programme report for funders (counts only, no names)."""
import csv
import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from tests.cohorts.conftest import do_lesson, take_quiz
from tests.conftest import PASSWORD, answer_key_form


@pytest.fixture
def cohort(client, workspace, catalog):
    workspace.person("tina", role="trainer")
    ids = [workspace.person("amina", display_name="=cmd|' /C calc'!A0", track="operator", locale="ar"),
           workspace.person("luca", display_name="Luca Bianchi", locale="it")]
    cohort_id = workspace.cohort(learners=ids)
    amina = workspace.learner_client("amina")
    for lesson, module in (("welcome", "basics"), ("saving", "basics"), ("interest", "numbers")):
        do_lesson(amina, lesson, module)
    take_quiz(amina, catalog)
    quiz = catalog.course("sample-course").item("numbers/check")
    page = amina.get("/courses/sample-course/numbers/check").get_data(as_text=True)
    form = answer_key_form(quiz, page=page)
    form["attempt"] = re.search(r'name="attempt" value="(\d+)"', page).group(1)
    amina.post("/courses/sample-course/numbers/check/submit", data=form)
    do_lesson(workspace.learner_client("luca"))
    client.post("/account/login", data={"username": "tina", "password": PASSWORD})
    return cohort_id


def _csv(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_progress_csv_streams_one_row_per_learner_and_course(client, cohort):
    response = client.get(f"/trainer/cohorts/{cohort}/export/progress.csv")
    assert response.is_streamed and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:4] == ["name", "username", "course", "lessons done"]
    by_user = {row[1]: row for row in rows[1:]}
    assert by_user["amina"][0] == "'=cmd|' /C calc'!A0"  # a formula in a name stays text
    assert by_user["amina"][3:7] == ["3", "3", "2", "2"] and by_user["amina"][10] == "completed"
    assert by_user["amina"][12]  # the certificate code
    assert by_user["luca"][3] == "1" and by_user["luca"][10] == "on_track"


def test_exports_stay_streamed_and_uncompressed_for_a_browser_that_accepts_compression(client, cohort):
    gzip_ok = {"Accept-Encoding": "gzip, br, zstd"}
    response = client.get(f"/trainer/cohorts/{cohort}/export/progress.csv", headers=gzip_ok)
    assert response.is_streamed and "Content-Encoding" not in response.headers
    assert _csv(response)[0][:2] == ["name", "username"]
    with client.get(f"/trainer/cohorts/{cohort}/export/quizzes.xlsx", headers=gzip_ok) as xlsx:
        assert "Content-Encoding" not in xlsx.headers and xlsx.data.startswith(b"PK")


def test_quiz_and_certificate_exports_in_xlsx(client, cohort):
    with client.get(f"/trainer/cohorts/{cohort}/export/quizzes.xlsx") as response:
        workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    assert rows[0] == ("name", "username", "course", "quiz", "attempt", "submitted", "score %", "passed")
    assert sorted(row[3] for row in rows[1:]) == ["basics/check", "numbers/check"]
    assert all(row[7] == "yes" and row[6] == 100 for row in rows[1:])
    response = client.get(f"/trainer/cohorts/{cohort}/export/certificates.csv")
    certificates = _csv(response)
    assert len(certificates) == 2 and certificates[1][1] == "amina"
    assert client.get(f"/trainer/cohorts/{cohort}/export/secrets.csv").status_code == 404
    assert client.get(f"/trainer/cohorts/{cohort}/export/progress.pdf").status_code == 404


def test_the_programme_report_counts_without_names(client, cohort):
    today = date.today().isoformat()
    html = client.get(f"/trainer/report?start={today}&end={today}").get_data(as_text=True)
    assert "Amina" not in html and "Luca" not in html and "amina" not in html
    response = client.get(f"/trainer/report.csv?start={today}&end={today}")
    rows = {(row[0], row[1]): row[2:] for row in _csv(response)[1:]}
    assert rows[("all people", "")] == ["2", "2", "1", "1"]
    assert rows[("cohort", "Spring 2027")] == ["2", "2", "1", "1"]
    assert rows[("language", "العربية")] == ["1", "1", "1", "1"]
    assert rows[("language", "Italiano")] == ["1", "1", "0", "0"]
    assert rows[("track", "operator")] == ["1", "1", "1", "1"]
    assert not any("amina" in str(value).lower() or "luca" in str(value).lower() for value in rows.values())
    later = (date.today() + timedelta(days=1)).isoformat()
    empty = {(row[0], row[1]): row[2:] for row in _csv(client.get(f"/trainer/report.csv?start={later}&end={later}"))[1:]}
    assert empty[("all people", "")] == ["0", "0", "0", "0"]
    with client.get(f"/trainer/report.xlsx?start={today}&end={today}") as xlsx:
        workbook = load_workbook(io.BytesIO(xlsx.data), read_only=True)
        assert ("cohort", "Spring 2027", 2, 2, 1, 1) in list(workbook.active.iter_rows(values_only=True))
        workbook.close()


def test_report_dates_are_checked(client, cohort):
    assert "The end date is before the start date." in client.get(
        "/trainer/report?start=2027-02-01&end=2027-01-01").get_data(as_text=True)
    assert client.get("/trainer/report.csv?start=nonsense&end=2027-01-01").status_code == 400


def test_the_programme_report_runs_the_same_statements_whatever_the_size(app, client, cohort, workspace,
                                                                         count_queries):
    today = date.today().isoformat()
    with count_queries() as small:
        client.get(f"/trainer/report?start={today}&end={today}")
    workspace.cohort("Autumn", learners=[workspace.person(f"learner{n}") for n in range(10)])
    with count_queries() as large:
        page = client.get(f"/trainer/report?start={today}&end={today}").get_data(as_text=True)
    assert small.count == large.count and "Autumn" in page
