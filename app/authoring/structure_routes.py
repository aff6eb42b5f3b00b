"""The course editor's structure pages: a new course from the template; modules, lessons and quizzes added,
renamed, reordered and deleted in the draft; the live preview of a file as typed."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..extensions import db
from ..security import role_required
from . import operations, permissions, preview, structure
from .forms import AddItemForm, AddModuleForm, LivePreviewForm, NewCourseForm, RenameForm
from .permissions import course_editor_required
from .routes import DRAFT_PREFIX, _draft_file

bp = Blueprint("authoring_structure", __name__, url_prefix="/authoring", template_folder="templates")
STEPS = {"up": -1, "down": 1}


@bp.errorhandler(structure.StructureError)
def _changed_meanwhile(error):
    """Two trainers changed the structure at once: nothing was changed by the second; show the page again."""
    flash(_("Someone changed the course's structure meanwhile: look at it again, then retry."), "error")
    slug = request.view_args.get("slug", "") if request.view_args else ""
    return redirect(url_for(".outline", slug=slug) if structure.valid_slug(slug) else url_for("authoring.index"))


def _draft(slug):
    """The course must exist and have a draft (404 otherwise)."""
    if not structure.valid_slug(slug) or not operations.draft_path(slug).is_dir():
        abort(404)
    return slug


def _slug_or_error(form, taken):
    """The slug typed, or made from the title; None (with the error on the form) when it cannot be used."""
    slug = (form.slug.data or "").strip() or structure.slug_from(form.title.data or "")
    if not structure.valid_slug(slug):
        form.slug.errors.append(_("Use lowercase letters a–z, digits and single dashes (at most 60), "
                                  "e.g. “saving-basics”."))
        return None
    if slug in taken:
        form.slug.errors.append(_("“%(slug)s” is already used here: choose another short name.", slug=slug))
        return None
    return slug


@bp.route("/new", methods=["GET", "POST"])
@role_required("trainer")
def new_course():
    """Start a new course from the starter template, as a draft that learners do not see until it is published."""
    form = NewCourseForm()
    if form.validate_on_submit():
        taken = {p.name for p in operations.courses_dir().iterdir()} | set(operations.new_course_drafts())
        slug = _slug_or_error(form, taken)
        if slug is not None:
            try:
                structure.create_course(slug, form.title.data.strip())
            except structure.StructureError:
                form.slug.errors.append(_("“%(slug)s” is already used here: choose another short name.", slug=slug))
            else:
                permissions.grant(current_user, current_user, slug)
                db.session.commit()
                flash(_("Your new course is a draft: learners see it once you publish it."), "success")
                return redirect(url_for(".outline", slug=slug))
    return render_template("authoring/new_course.html", form=form), 422 if form.errors else 200


@bp.route("/<slug>/structure")
@course_editor_required
def outline(slug):
    """The modules, lessons and quizzes of the draft, with the forms that change them."""
    if not operations.course_exists(slug):
        abort(404)
    if not operations.draft_path(slug).is_dir():
        return render_template("authoring/structure.html", slug=slug, has_draft=False)
    return _page(slug)


def _page(slug, module_form=None, failed=None, item_form=None):
    """The structure page; a form that failed is shown with its errors, every other one empty."""
    sections = structure.outline(slug)
    item_forms = {section.slug: item_form if section.slug == failed else _item_form(section.slug, formdata=None)
                  for section in sections}
    return render_template("authoring/structure.html", slug=slug, has_draft=True, sections=sections,
                           module_form=module_form or AddModuleForm(prefix="module", formdata=None),
                           item_forms=item_forms, failed=failed)


def _item_form(module, **kwargs):
    return AddItemForm(prefix=f"add-{module}", **kwargs)


def _back(slug, anchor=None):
    return redirect(url_for(".outline", slug=slug, _anchor=anchor))


@bp.route("/<slug>/modules", methods=["POST"])
@course_editor_required
def add_module(slug):
    _draft(slug)
    form = AddModuleForm(prefix="module")
    taken = {section.slug for section in structure.outline(slug)}
    if form.validate_on_submit() and (module := _slug_or_error(form, taken)) is not None:
        structure.add_module(slug, form.title.data.strip(), module)
        flash(_("Module added. Add its first lesson."), "success")
        return _back(slug, f"module-{module}")
    return _page(slug, module_form=form), 422


@bp.route("/<slug>/modules/<module>/items", methods=["POST"])
@course_editor_required
def add_item(slug, module):
    _draft(slug)
    section = next((s for s in structure.outline(slug) if s.slug == module), None) or abort(404)
    form = _item_form(module)
    if form.validate_on_submit() and (item := _slug_or_error(form, {i.slug for i in section.items})) is not None:
        name = structure.add_item(slug, module, form.kind.data, form.title.data.strip(), item)
        flash(_("Added. Write it now, or later from the course's structure."), "success")
        return redirect(url_for("authoring.edit", slug=slug, name=name))
    return _page(slug, failed=module, item_form=form), 422


@bp.route("/<slug>/modules/<module>/<direction>", methods=["POST"])
@course_editor_required
def move_module(slug, module, direction):
    _draft(slug)
    if direction not in STEPS:
        abort(404)
    try:
        structure.move_module(slug, module, STEPS[direction])
    except structure.StructureError:
        abort(404)
    return _back(slug, f"module-{module}")


@bp.route("/<slug>/modules/<module>/items/<item>/<direction>", methods=["POST"])
@course_editor_required
def move_item(slug, module, item, direction):
    _draft(slug)
    if direction not in STEPS:
        abort(404)
    try:
        structure.move_item(slug, module, item, STEPS[direction])
    except structure.StructureError:
        abort(404)
    return _back(slug, f"item-{module}-{item}")


def _found(slug, module, item):
    """(title, files) of the module or item in the draft, or 404."""
    if item is None:
        section = next((s for s in structure.outline(slug) if s.slug == module), None) or abort(404)
        return section.title, [f for entry in section.items for f in entry.files.values()]
    entry = structure.find_item(slug, module, item) or abort(404)
    return entry.title, sorted(entry.files.values())


@bp.route("/<slug>/modules/<module>/rename", methods=["GET", "POST"], defaults={"item": None})
@bp.route("/<slug>/modules/<module>/items/<item>/rename", methods=["GET", "POST"])
@course_editor_required
def rename(slug, module, item):
    """Change a title, and the slug if the trainer must: learners' records of the old slug are named first."""
    _draft(slug)
    title, _files = _found(slug, module, item)
    form = RenameForm()
    records = structure.learners_with_records(slug, module, item)
    if not form.is_submitted():
        form.title.data, form.slug.data = title, item or module
    elif form.validate():
        current = item or module
        new = form.slug.data.strip()
        siblings = ({s.slug for s in structure.outline(slug)} if item is None
                    else {i.slug for i in next(s for s in structure.outline(slug) if s.slug == module).items})
        if new == current or (_slug_or_error(form, siblings - {current}) is not None
                              and (not records or form.confirm.data)):
            if item is None:
                structure.rename_module(slug, module, form.title.data.strip(), new)
                module = new
            else:
                structure.rename_item(slug, module, item, form.title.data.strip(), new)
                item = new
            flash(_("Renamed in the draft."), "success")
            return _back(slug, f"module-{module}" if item is None else f"item-{module}-{item}")
        if new != current and records and not form.confirm.data and not form.slug.errors:
            form.confirm.errors = [_("Tick the box to rename it all the same.")]
    status = 422 if form.is_submitted() else 200
    return render_template("authoring/rename.html", slug=slug, module=module, item=item, title=title, form=form,
                           records=records), status


@bp.route("/<slug>/modules/<module>/delete", methods=["GET", "POST"], defaults={"item": None})
@bp.route("/<slug>/modules/<module>/items/<item>/delete", methods=["GET", "POST"])
@course_editor_required
def delete(slug, module, item):
    """Ask first (a page naming the files), then delete from the draft."""
    _draft(slug)
    title, files = _found(slug, module, item)
    form = FlaskForm()
    if form.validate_on_submit():
        if item is None:
            structure.delete_module(slug, module)
        else:
            structure.delete_item(slug, module, item)
        flash(_("Deleted from the draft. Publishing the course deletes it for learners."), "success")
        return _back(slug)
    return render_template("authoring/delete.html", slug=slug, module=module, item=item, title=title, files=files,
                           records=structure.learners_with_records(slug, module, item), form=form)


@bp.route("/<slug>/live-preview/<path:name>", methods=["POST"])
@course_editor_required
def live_preview(slug, name):
    """The text being edited, checked and rendered as learners will see it (an HTML fragment; nothing saved)."""
    _draft(slug)
    _draft_file(slug, name)
    form = LivePreviewForm()
    if not form.validate_on_submit():
        abort(400)
    course, item, problems = preview.preview(slug, name, form.text.data or "", DRAFT_PREFIX)
    return render_template("authoring/_live_preview.html", course=course, item=item, problems=problems)
