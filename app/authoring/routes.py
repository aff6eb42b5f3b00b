"""The course editor: drafts, file editing with the checker's messages, publishing, history and rollback."""
from pathlib import Path

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..catalog import get_catalog
from ..courses import localised
from ..content.loader import load_course
from ..content.loader.names import is_slug
from ..security import role_required
from ..extensions import db
from ..models import User
from ..uploads import allow_upload
from . import gift, operations, packages, permissions
from .forms import EditForm, EditorForm, GiftForm, ImportForm, PublishForm
from .permissions import course_editor_required

bp = Blueprint("authoring", __name__, url_prefix="/authoring", template_folder="templates")


def _course_folder(slug):
    """A published course, or a new course's draft; or 404."""
    if not is_slug(slug) or not operations.course_exists(slug):
        abort(404)
    return slug


def _is_draft_file(slug, name):
    """Whether `name` is a text file of the course's draft (inside it, no symlink)."""
    root = operations.draft_path(slug).resolve()
    path = root / name
    return (path.suffix in operations.TEXT_SUFFIXES and not path.is_symlink() and path.resolve().is_relative_to(root)
            and path.is_file())


def _draft_file(slug, name):
    """A text file of the course's draft, or 404."""
    if not _is_draft_file(slug, name):
        abort(404)
    return name


def _author():
    return (current_user.display_name, getattr(current_user, "email", None) or f"{current_user.username}@soglia")


@bp.route("/")
@role_required("trainer")
def index():
    """The courses a trainer may edit, with the state of each."""
    root = Path(current_app.config["COURSES_DIR"])
    folders = sorted(p.name for p in root.iterdir() if (p / "course.md").is_file() and not p.name.startswith("."))
    folders = permissions.editable_slugs(current_user, folders)
    return render_template("authoring/index.html", folders=folders, catalog=get_catalog(), form=ImportForm(),
                           new_drafts=permissions.editable_slugs(current_user, operations.new_course_drafts()))


@bp.route("/import", methods=["POST"])
@role_required("trainer")
@allow_upload(packages.MAX_PACKAGE_BYTES)
def import_package():
    """Import a course package: a new course is published, an existing one's draft is replaced."""
    form = ImportForm()
    if not form.validate_on_submit():
        flash(_("Choose a course package (.zip) to import."), "error")
        return redirect(url_for(".index"))
    try:
        outcome, slug = packages.import_course(form.package.data.read(packages.MAX_PACKAGE_BYTES + 1), _author(),
                                               lambda slug: permissions.may_edit(current_user, slug))
    except packages.PackageRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for(".index"))
    except operations.PublishRefused as refused:
        return render_template("authoring/refused.html", slug=None, problems=refused.problems), 409
    if outcome == "created":
        permissions.grant(current_user, current_user, slug)
        db.session.commit()
        flash(_("The course %(slug)s was imported and published.", slug=slug), "success")
    else:
        flash(_("The package is now the draft of %(slug)s: check it, then publish it.", slug=slug), "success")
    return redirect(url_for(".course", slug=slug))


@bp.route("/<slug>/export")
@course_editor_required
def export(slug):
    """The published course as a zip of its folder."""
    if not is_slug(slug) or not (operations.courses_dir() / slug).is_dir():
        abort(404)
    return send_file(io.BytesIO(packages.export_course(slug)), mimetype="application/zip", as_attachment=True,
                     download_name=f"{slug}.zip")


@bp.route("/<slug>/")
@course_editor_required
def course(slug):
    """A course's draft, its problems, the publish form and its history."""
    _course_folder(slug)
    state = operations.status(slug)
    problems = operations.check_folder(operations.draft_path(slug)) if state.draft else []
    return render_template("authoring/course.html", slug=slug, state=state, problems=problems,
                           files=operations.draft_files(slug) if state.draft else [],
                           history=operations.history(slug), form=PublishForm(), catalog=get_catalog(),
                           editors=permissions.editors(slug), editor_form=_editor_form(slug),
                           gift_form=_gift_form(slug) if state.draft else None)


def _gift_form(slug):
    form = GiftForm()
    form.module.choices = [(name, name) for name in operations.draft_modules(slug)]
    return form


GIFT_MAX_BYTES = 2 * 1024 * 1024


@bp.route("/<slug>/gift", methods=["POST"])
@course_editor_required
@allow_upload(GIFT_MAX_BYTES + 64 * 1024)
def import_gift(slug):
    """Turn a Moodle GIFT file into a new quiz of the draft; report what could not be converted."""
    _course_folder(slug)
    if not operations.draft_path(slug).is_dir():
        abort(404)
    form = _gift_form(slug)
    if not form.validate_on_submit():
        flash(_("Choose a GIFT file, a module and a title."), "error")
        return redirect(url_for(".course", slug=slug))
    try:
        source = form.upload.data.read(GIFT_MAX_BYTES + 1).decode("utf-8-sig")
    except UnicodeDecodeError:
        source = None
    if source is None or len(source) > GIFT_MAX_BYTES:
        flash(_("A GIFT file is a text file (UTF-8) of at most 2 MB."), "error")
        return redirect(url_for(".course", slug=slug))
    converted = gift.convert(source, form.title.data.strip())
    if not converted.questions:
        return render_template("authoring/gift.html", slug=slug, converted=converted, name=None), 422
    name = operations.add_quiz_file(slug, form.module.data, form.title.data.strip(), converted.markdown)
    return render_template("authoring/gift.html", slug=slug, converted=converted, name=name)


def _editor_form(slug):
    """Admins grant trainers the right to edit the course."""
    if not current_user.is_admin:
        return None
    form = EditorForm()
    form.user.choices = [(str(user.id), f"{user.display_name} ({user.username})")
                         for user in permissions.grantable_trainers(slug)]
    return form


@bp.route("/<slug>/editors", methods=["POST"])
@role_required("admin")
def add_editor(slug):
    """Let a trainer edit and publish the course."""
    _course_folder(slug)
    form = _editor_form(slug)
    if form.validate_on_submit():
        user = db.session.get(User, int(form.user.data)) or abort(404)
        permissions.grant(current_user, user, slug)
        db.session.commit()
        flash(_("%(name)s may now edit this course.", name=user.display_name), "success")
    return redirect(url_for(".course", slug=slug))


@bp.route("/<slug>/editors/<int:user_id>/remove", methods=["POST"])
@role_required("admin")
def remove_editor(slug, user_id):
    _course_folder(slug)
    user = db.session.get(User, user_id) or abort(404)
    permissions.revoke(current_user, user, slug)
    db.session.commit()
    return redirect(url_for(".course", slug=slug))


@bp.route("/<slug>/draft", methods=["POST"])
@course_editor_required
def start_draft(slug):
    _course_folder(slug)
    operations.start_draft(slug)
    return redirect(url_for(".course", slug=slug))


@bp.route("/<slug>/discard", methods=["POST"])
@course_editor_required
def discard_draft(slug):
    _course_folder(slug)
    operations.discard_draft(slug)
    flash(_("The draft was discarded."), "success")
    if not operations.course_exists(slug):  # a new course never published is gone
        return redirect(url_for(".index"))
    return redirect(url_for(".course", slug=slug))


@bp.route("/<slug>/edit/<path:name>", methods=["GET", "POST"])
@course_editor_required
def edit(slug, name):
    """Edit one file of the draft; the checker's messages for it are shown beside its lines."""
    _course_folder(slug)
    form = EditForm()
    if form.is_submitted() and operations.draft_path(slug).is_dir() and not _is_draft_file(slug, name):
        # renamed, moved or deleted by another trainer meanwhile: keep the text on screen
        return render_template("authoring/edit.html", slug=slug, name=name, form=form, vanished=True,
                               conflict=None, problems=[], lines=[], by_line={}, items=[]), 409
    _draft_file(slug, name)
    conflict = None
    if form.validate_on_submit():
        try:
            operations.save_draft_file(slug, name, form.text.data, form.base.data)
        except operations.EditConflict as error:
            conflict = error.current
        else:
            flash(_("Saved in the draft. Learners see it once the course is published."), "success")
            return redirect(url_for(".edit", slug=slug, name=name))
    current = operations.read_draft_file(slug, name)
    if conflict is None and not form.is_submitted():
        form.text.data = current
    if conflict is None:
        form.base.data = operations.text_hash(current)
    else:
        form.base.data = operations.text_hash(conflict)  # saving again is the trainer's informed choice
    problems = [p for p in operations.check_folder(operations.draft_path(slug)) if p.path == f"{slug}/{name}"]
    by_line: dict[int, list] = {}
    for problem in problems:
        by_line.setdefault(problem.line, []).append(problem)
    return render_template("authoring/edit.html", slug=slug, name=name, form=form, conflict=conflict,
                           lines=(form.text.data or "").split("\n"), by_line=by_line, problems=problems,
                           items=_draft_items(slug))


def _draft_items(slug):
    """The lessons and quizzes of the draft as loaded (None when it has errors): for the preview links."""
    course = load_course(operations.draft_path(slug))
    return course.items if course else []


#: a draft's pages are rendered with their links under this prefix: its pictures and audio come from the draft
DRAFT_PREFIX = "/draft-preview"


@bp.route("/<slug>/preview/<module_slug>/<item_slug>")
@course_editor_required
def preview(slug, module_slug, item_slug):
    """A lesson or quiz of the draft, rendered as learners will see it."""
    _course_folder(slug)
    if not operations.draft_path(slug).is_dir():
        abort(404)
    course = load_course(operations.draft_path(slug), url_prefix=DRAFT_PREFIX)
    item = course.item(f"{module_slug}/{item_slug}") if course else None
    if item is None:
        abort(404)
    text, fell_back = localised(item.texts, course)
    return render_template("trainer/preview.html", course=course, item=item, text=text, fell_back=fell_back,
                           draft=True)


@bp.route("/<slug>/publish", methods=["POST"])
@course_editor_required
def publish(slug):
    """Check the draft and publish it as a new version of the course."""
    _course_folder(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        flash(_("Say in a few words what you changed."), "error")
        return redirect(url_for(".course", slug=slug))
    try:
        commit = operations.publish(slug, _author(), form.message.data.strip())
    except operations.PublishRefused as refused:
        return render_template("authoring/refused.html", slug=slug, problems=refused.problems), 409
    except operations.DraftOutdated:
        flash(_("The live course changed after this draft began (a publish or a rollback). Discard the draft and start again from the live version."), "error")  # noqa: E501
        return redirect(url_for(".course", slug=slug))
    flash(_("Published: learners now get this version.") if commit else _("Nothing changed since the last publish."),
          "success")
    return redirect(url_for(".course", slug=slug))


@bp.route("/<slug>/changes/<commit>")
@course_editor_required
def change(slug, commit):
    """The diff of one published change of the course."""
    _course_folder(slug)
    diff = operations.change_diff(slug, commit)
    if diff is None:
        abort(404)
    entry = next(c for c in operations.history(slug) if c.commit == commit)
    return render_template("authoring/change.html", slug=slug, change=entry, diff=diff.splitlines())


@bp.route("/<slug>/rollback/<commit>", methods=["POST"])
@course_editor_required
def rollback(slug, commit):
    """Publish the course as it was at `commit` again (a new version in the history)."""
    _course_folder(slug)
    try:
        done = operations.rollback(slug, commit, _author())
    except LookupError:
        abort(404)
    except operations.PublishRefused as refused:
        return render_template("authoring/refused.html", slug=slug, problems=refused.problems), 409
    flash(_("Rolled back: learners now get the version of %(commit)s.", commit=commit[:10]) if done
          else _("Nothing changed since the last publish."), "success")
    return redirect(url_for(".course", slug=slug))
