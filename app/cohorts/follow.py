"""Following learners: cohort dashboard, learner detail, item analysis, exports and the programme report."""
from datetime import date

from flask import abort, render_template, request
from sqlalchemy import func, select

from ..catalog import get_catalog
from ..extensions import db
from ..courses import get_course, get_item
from ..models import User
from ..organisations.access import get_cohort_or_404, get_person_or_404, organisation_id
from ..security import role_required
from ..services import progress
from ..services.certificates import format_code
from . import analysis, dashboard, exports, reports
from .forms import DashboardFilterForm, ReportForm
from .routes import bp

EXPORT_KINDS = ("progress", "quizzes", "certificates")


def _page_number():
    return request.args.get("page", 1, type=int) or 1


@bp.route("/cohorts/<int:cohort_id>/", endpoint="dashboard")
@role_required("trainer")
def cohort_dashboard(cohort_id):
    """Every learner of the cohort × every assigned course, filtered, sorted and paginated."""
    cohort = get_cohort_or_404(cohort_id)
    form = DashboardFilterForm(request.args)
    form.validate()
    board = dashboard.cohort_dashboard(
        cohort, get_catalog(), search=(form.q.data or "").strip() if not form.q.errors else "",
        show=form.show.data if not form.show.errors else "", days=form.days.data if not form.days.errors else 14,
        sort=form.sort.data if not form.sort.errors else "name", page=_page_number())
    pager_args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("cohorts/dashboard.html", cohort=cohort, board=board, form=form, today=date.today(),
                           pager_args=pager_args, format_code=format_code)


@bp.route("/cohorts/<int:cohort_id>/quizzes")
@role_required("trainer")
def quizzes(cohort_id):
    """The quizzes of the cohort's courses, each leading to its item analysis."""
    cohort = get_cohort_or_404(cohort_id)
    catalog = get_catalog()
    courses = [catalog.course(a.course_slug) for a in cohort.assignments if catalog.course(a.course_slug)]
    return render_template("cohorts/quizzes.html", cohort=cohort, courses=courses)


@bp.route("/cohorts/<int:cohort_id>/quizzes/<course_slug>/<module_slug>/<item_slug>")
@role_required("trainer")
def item_analysis(cohort_id, course_slug, module_slug, item_slug):
    """Attempts, pass rate, and per question the share right and the wrong answers chosen most."""
    cohort = get_cohort_or_404(cohort_id)
    course = get_course(course_slug)
    quiz = get_item(course, module_slug, item_slug, kind="quiz")
    found = analysis.item_analysis(cohort, course, quiz)
    return render_template("cohorts/item_analysis.html", cohort=cohort, course=course, quiz=quiz, analysis=found)


@bp.route("/cohorts/<int:cohort_id>/export/<kind>.<fmt>")
@role_required("trainer")
def export(cohort_id, kind, fmt):
    """The cohort's progress, quiz results or certificates as CSV or XLSX, streamed."""
    cohort = get_cohort_or_404(cohort_id)
    if kind not in EXPORT_KINDS or fmt not in ("csv", "xlsx"):
        abort(404)
    header: tuple[str, ...]
    if kind == "progress":
        header, rows = exports.PROGRESS_HEADER, exports.progress_rows(cohort, get_catalog(), date.today())
    elif kind == "quizzes":
        header, rows = exports.QUIZ_HEADER, exports.quiz_rows(cohort)
    else:
        header, rows = exports.CERTIFICATE_HEADER, exports.certificate_rows(cohort, format_code)
    filename = f"cohort-{cohort.id}-{kind}-{date.today().isoformat()}.{fmt}"
    respond = exports.csv_response if fmt == "csv" else exports.xlsx_response
    return respond(filename, header, rows)


@bp.route("/learners")
@role_required("trainer")
def learners():
    """The organisation's learners, searchable, paginated, each leading to their detail page."""
    search = request.args.get("q", "")[:120].strip()
    query = select(User).where(User.organisation_id == organisation_id(), User.role == "learner",
                               User.anonymised_at.is_(None))
    if search:
        needle = search.lower()
        query = query.where(func.lower(User.display_name).contains(needle, autoescape=True)
                            | User.username.contains(needle, autoescape=True))
    found = db.paginate(query.order_by(User.display_name, User.id), page=_page_number(), per_page=50,
                        error_out=False)
    return render_template("cohorts/learners.html", learners=found, search=search, catalog=get_catalog(),
                           totals=progress.course_totals(organisation_id()))


@bp.route("/learners/<int:user_id>")
@role_required("trainer")
def learner(user_id):
    """One learner: their cohorts, progress in each assigned course, and timeline with answers."""
    user = get_person_or_404(user_id, learners_only=True)
    catalog = get_catalog()
    assigned = dashboard.learner_assignments(user)
    seen: dict[str, date | None] = {}
    for _cohort, slug, due in assigned:
        seen.setdefault(slug, due)
    progress = dashboard.load_progress([(user.id, user.display_name, user.username)], list(seen.items()), catalog)
    return render_template("cohorts/learner.html", user=user, cohorts=dashboard.learner_cohorts(user),
                           courses=progress[0].courses if progress else [], catalog=catalog,
                           timeline=analysis.learner_timeline(user), describe=analysis.describe_response,
                           today=date.today(), format_code=format_code)


def _report_form():
    form = ReportForm(request.args)
    if not request.args:
        today = date.today()
        form.start.data, form.end.data = date(today.year, 1, 1), today
        return form, True
    return form, form.validate()


@bp.route("/report")
@role_required("trainer")
def programme_report():
    """Counts for funders over a date range: no names, by cohort, course, language and track."""
    form, valid = _report_form()
    report = reports.programme_report(organisation_id(), form.start.data, form.end.data) if valid else None
    return render_template("cohorts/report.html", form=form, report=report, label_of=_label_of(report),
                           metrics=reports.METRICS, dimensions=reports.DIMENSIONS,
                           download_args={"start": form.start.raw_data and form.start.raw_data[0] or form.start.data,
                                          "end": form.end.raw_data and form.end.raw_data[0] or form.end.data})


def _label_of(report):
    from ..i18n import LANGUAGE_NAMES, title_of

    catalog = get_catalog()

    def label_of(dimension, value):
        if dimension == "cohort":
            return report.cohort_names.get(value, value)
        if dimension == "course":
            course = catalog.course(value)
            return title_of(course, course) if course else value
        if dimension == "language":
            return LANGUAGE_NAMES.get(value, value)
        return value

    return label_of


@bp.route("/report.<fmt>")
@role_required("trainer")
def programme_report_file(fmt):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    form, valid = _report_form()
    if not valid:
        abort(400)
    report = reports.programme_report(organisation_id(), form.start.data, form.end.data)
    header = ("dimension", "value", *reports.METRICS)
    filename = f"programme-report-{form.start.data.isoformat()}-{form.end.data.isoformat()}.{fmt}"
    respond = exports.csv_response if fmt == "csv" else exports.xlsx_response
    return respond(filename, header, list(reports.report_rows(report, _label_of(report))))
