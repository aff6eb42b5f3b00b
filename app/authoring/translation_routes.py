"""Translations beside their original: a course's overview of missing and out-of-date ones, and the editor."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import gettext as _

from . import operations, translations
from .forms import TranslationForm
from .permissions import course_editor_required
from .routes import _course_folder, _draft_file

bp = Blueprint("authoring_translations", __name__, url_prefix="/authoring", template_folder="templates")

#: what each state is called in the overview
LABELS = {translations.MISSING: _l("missing"), translations.OUTDATED: _l("out of date"),
          translations.CURRENT: _l("up to date"), translations.UNKNOWN: _l("not compared yet")}


@bp.route("/<slug>/translations")
@course_editor_required
def overview(slug):
    """Which pages are missing in which language, and which translations are older than their original."""
    _course_folder(slug)
    draft = operations.draft_path(slug).is_dir()
    folder = operations.draft_path(slug) if draft else operations.courses_dir() / slug
    languages, rows = translations.overview(folder, tuple(current_app.config["LANGUAGES"]))
    counts = {lang: {state: sum(row.states[lang] == state for row in rows) for state in LABELS} for lang in languages}
    return render_template("authoring/translations.html", slug=slug, draft=draft, languages=languages, rows=rows,
                           counts=counts, labels=LABELS, source=translations.source_language(folder))


@bp.route("/<slug>/translate/<language>/<path:name>", methods=["GET", "POST"])
@course_editor_required
def translate(slug, language, name):
    """Edit the translation of the page `name` into `language` beside its original (a new one starts as a copy)."""
    _course_folder(slug)
    folder = operations.draft_path(slug)
    if not folder.is_dir():
        abort(404)
    _draft_file(slug, name)
    source = translations.source_language(folder)
    if not translations.LANGUAGE.fullmatch(language) or language == source or not translations.is_original(name):
        abort(404)
    original = operations.read_draft_file(slug, name)
    target = folder / translations.translation_name(name, language)
    form = TranslationForm()
    conflict = None
    if form.validate_on_submit():
        seen = form.original.data if translations.HASH.fullmatch(form.original.data or "") else None
        try:
            translations.save(slug, name, language, form.text.data, form.base.data or "",
                              seen or translations.original_hash(original))
        except operations.EditConflict as error:
            conflict = error.current
        else:
            flash(_("Saved in the draft. Learners see it once the course is published."), "success")
            return redirect(url_for(".translate", slug=slug, language=language, name=name))
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if conflict is None and not form.is_submitted():
        form.text.data = translations.without_record(current) if current is not None else translations.first_draft(
            original)
    form.base.data = operations.text_hash(current) if current is not None else ""
    form.original.data = translations.original_hash(original)
    translated_path = f"{slug}/{translations.translation_name(name, language)}"
    problems = [p for p in operations.check_folder(folder) if p.path == translated_path] if current else []
    return render_template("authoring/translate.html", slug=slug, name=name, language=language, source=source,
                           original=original, form=form, conflict=conflict, problems=problems,
                           state=translations.state(folder, name, language), labels=LABELS)
