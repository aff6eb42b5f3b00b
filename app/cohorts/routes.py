"""Cohort management: create, assign courses, enrol learners (by code, by choice, in bulk), print login cards."""
from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectChoice

from ..catalog import get_catalog
from ..extensions import db
from ..i18n import title_of
from ..links import public_url
from ..organisations.access import get_cohort_or_404, get_cohort_member_or_404, organisation_id
from ..security import role_required
from ..uploads import allow_upload
from . import cards, importing, operations
from .forms import AddLearnersForm, AssignForm, CardsForm, CohortForm, ImportForm, JoinForm

bp = Blueprint("cohorts", __name__, url_prefix="/trainer", template_folder="templates")
join_bp = Blueprint("join", __name__, template_folder="templates")

#: the largest upload the import accepts
IMPORT_MAX_BYTES = 2 * 1024 * 1024


@bp.route("/cohorts/", methods=["GET", "POST"])
@role_required("trainer")
def index():
    """The organisation's cohorts, and a form to create one."""
    form = CohortForm()
    if request.method == "GET":
        form.language.data = current_user.locale
    if form.validate_on_submit():
        cohort = _saved(form, lambda fields: operations.create_cohort(organisation_id(), current_user, **fields))
        if cohort is not None:
            flash(_("Cohort created. Now assign courses and add learners."), "success")
            return redirect(url_for("cohorts.manage", cohort_id=cohort.id))
    return render_template("cohorts/index.html", cohorts=operations.cohorts_with_counts(organisation_id()), form=form)


def _saved(form, save):
    """Create or update a cohort from the form's fields and commit; a taken name becomes a form error.

    :return: what `save` returned, or None when the name is taken
    """
    fields = {name: form[name].data for name in ("name", "language", "starts_on", "ends_on", "join_code_expires_on")}
    try:
        result = save(fields)
    except operations.CohortNameTaken:
        db.session.rollback()
        form.name.errors.append(_("You already have a cohort with this name."))
        return None
    db.session.commit()
    return result


def _assign_form(catalog):
    form = AssignForm()
    form.target.choices = ([SelectChoice(f"path:{p.slug}", _("Path: %(title)s", title=p.titles.get(current_user.locale)
                                                             or next(iter(p.titles.values())))) for p in catalog.paths]
                           + [SelectChoice(f"course:{c.slug}", title_of(c, c)) for c in catalog.courses.values()])
    return form


@bp.route("/cohorts/<int:cohort_id>/manage", methods=["GET", "POST"])
@role_required("trainer")
def manage(cohort_id):
    """Edit the cohort, its courses and due dates, and see how learners join it."""
    cohort = get_cohort_or_404(cohort_id)
    catalog = get_catalog()
    form = CohortForm(obj=cohort)
    if form.validate_on_submit() and _saved(form, lambda fields: operations.update_cohort(cohort, **fields)):
        flash(_("Cohort saved."), "success")
        return redirect(url_for("cohorts.manage", cohort_id=cohort.id))
    return render_template("cohorts/manage.html", cohort=cohort, form=form, assign_form=_assign_form(catalog),
                           catalog=catalog, join_url=public_url("join.join_link", code=cohort.join_code),
                           code=operations.format_code(cohort.join_code))


@bp.route("/cohorts/<int:cohort_id>/courses", methods=["POST"])
@role_required("trainer")
def assign(cohort_id):
    """Assign a course, or every course of a path, with an optional due date."""
    cohort = get_cohort_or_404(cohort_id)
    catalog = get_catalog()
    form = _assign_form(catalog)
    if not form.validate_on_submit():
        flash(_("Choose a course or path from the list."), "error")
        return redirect(url_for("cohorts.manage", cohort_id=cohort.id))
    kind, _sep, slug = form.target.data.partition(":")
    if kind == "path":
        path = next(p for p in catalog.paths if p.slug == slug)
        slugs = [s for s in path.course_slugs if catalog.course(s)]
        operations.assign_courses(cohort, slugs, form.due_on.data, path_slug=slug)
    else:
        operations.assign_courses(cohort, [slug], form.due_on.data)
    db.session.commit()
    flash(_("Courses assigned."), "success")
    return redirect(url_for("cohorts.manage", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/courses/<course_slug>/remove", methods=["POST"])
@role_required("trainer")
def unassign(cohort_id, course_slug):
    cohort = get_cohort_or_404(cohort_id)
    operations.unassign_course(cohort, course_slug)
    db.session.commit()
    flash(_("The course is no longer assigned. Learners keep their progress."), "success")
    return redirect(url_for("cohorts.manage", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/code", methods=["POST"])
@role_required("trainer")
def renew_code(cohort_id):
    """A new join code: the old code and link stop working."""
    cohort = get_cohort_or_404(cohort_id)
    operations.renew_join_code(cohort)
    db.session.commit()
    flash(_("New join code: the old one no longer works."), "success")
    return redirect(url_for("cohorts.manage", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/learners/add", methods=["GET", "POST"])
@role_required("trainer")
def add_learners(cohort_id):
    """Choose existing learners of the organisation to add to the cohort."""
    cohort = get_cohort_or_404(cohort_id)
    form = AddLearnersForm()
    if form.validate_on_submit():
        added = operations.add_existing_learners(current_user, cohort, form.learners.data)
        db.session.commit()
        flash(_("%(count)s learners added.", count=added), "success")
        return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))
    search = request.args.get("q", "")[:120].strip()
    return render_template("cohorts/add_learners.html", cohort=cohort, form=form, search=search,
                           candidates=operations.learners_not_in(cohort, search))


@bp.route("/cohorts/<int:cohort_id>/learners/<int:user_id>/remove", methods=["POST"])
@role_required("trainer")
def remove_learner(cohort_id, user_id):
    cohort = get_cohort_or_404(cohort_id)
    user = get_cohort_member_or_404(cohort, user_id)
    operations.remove_member(current_user, cohort, user)
    db.session.commit()
    flash(_("%(name)s is no longer in this cohort; their learning records stay.", name=user.display_name), "success")
    return redirect(url_for("cohorts.dashboard", cohort_id=cohort.id))


def _import_page(cohort, form, errors=(), message=None, status=200):
    return render_template("cohorts/import.html", cohort=cohort, form=form, errors=errors, message=message,
                           columns=importing.COLUMNS, max_mb=IMPORT_MAX_BYTES // (1024 * 1024),
                           max_rows=importing.MAX_ROWS), status


@bp.route("/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
@role_required("trainer")
@allow_upload(IMPORT_MAX_BYTES)
def import_learners(cohort_id):
    """Create learner accounts in bulk: every row is checked, and either all are created or none."""
    cohort = get_cohort_or_404(cohort_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(cohort, form)
    upload = form.upload.data
    if upload is not None and upload.filename:
        data, filename = upload.read(), upload.filename
        if not filename.lower().endswith((".csv", ".txt", ".xlsx")):
            return _import_page(cohort, form, message=_("Upload a .csv or .xlsx file."), status=400)
    else:
        data, filename = form.pasted.data or "", "pasted.csv"
    try:
        table = importing.read_table(data, filename)
        result = importing.check_rows(table, cohort.language, current_app.config["LANGUAGES"])
        if result.errors:
            return _import_page(cohort, form, errors=result.errors, status=400)
        created = importing.create_learners(current_user, cohort, result.rows)
    except importing.ImportRejected as rejected:
        db.session.rollback()
        return _import_page(cohort, form, message=rejected.message, status=400)
    db.session.commit()
    flash(_("%(count)s learner accounts created. Print their login cards to hand them out.", count=len(created)),
          "success")
    return redirect(url_for("cohorts.login_cards", cohort_id=cohort.id))


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    if request.endpoint == "cohorts.import_learners":
        cohort = get_cohort_or_404((request.view_args or {})["cohort_id"])
        return _import_page(cohort, ImportForm(formdata=None), status=413,
                            message=_("The file is too large: at most %(size)s MB.",
                                      size=IMPORT_MAX_BYTES // (1024 * 1024)))
    return error


@bp.route("/cohorts/<int:cohort_id>/cards", methods=["GET", "POST"])
@role_required("trainer")
def login_cards(cohort_id):
    """Confirm, then print login cards: each chosen learner gets a new one-time password."""
    cohort = get_cohort_or_404(cohort_id)
    form = CardsForm()
    if form.validate_on_submit():
        learners = cards.learners_for_cards(cohort, form.learners.data)
        if not learners:
            flash(_("Choose at least one learner."), "error")
            return redirect(url_for("cohorts.login_cards", cohort_id=cohort.id))
        issued = cards.issue_cards(current_user, cohort, learners)
        pdf = cards.render_cards_pdf(cohort, issued, current_app.config["ORGANISATION_NAME"])
        db.session.commit()  # only once the PDF exists: no password changes without cards
        return Response(pdf, mimetype="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="login-cards-{cohort.id}.pdf"',
            "Cache-Control": "no-store"})
    from .dashboard import cohort_members

    waiting = cards.learners_for_cards(cohort)
    return render_template("cohorts/cards_confirm.html", cohort=cohort, form=form, waiting=waiting,
                           members=cohort_members(cohort))


@join_bp.route("/join", methods=["GET", "POST"])
@login_required
def join():
    """A learner enters the join code their trainer gave them."""
    form = JoinForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:32]
    if form.validate_on_submit():
        message = join_with_code(form.code.data)
        if message is None:
            return redirect(url_for("learn.my_learning"))
        form.code.errors.append(message)
    return render_template("cohorts/join.html", form=form)


@join_bp.route("/join/<code>")
def join_link(code):
    """The link form of a join code: log in or register first, then confirm."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.register", code=code[:32]))
    return redirect(url_for("join.join", code=code[:32]))


def join_with_code(raw_code):
    """Join the current user to the code's cohort and say so; the error message if the code does not work."""
    try:
        cohort, joined = operations.join_with_code(current_user, raw_code)
    except (operations.UnknownCode, operations.ExpiredCode, operations.OtherOrganisation) as exc:
        db.session.rollback()
        return operations.code_error(exc)
    db.session.commit()
    if joined:
        flash(_("Welcome to %(cohort)s!", cohort=cohort.name), "success")
    else:
        flash(_("You are already in %(cohort)s.", cohort=cohort.name), "info")
    return None


from . import follow  # noqa: E402,F401  (the follow-up views share this blueprint)
