"""Pictures and audio for a page of a course's draft: upload (checked by content), list, Markdown to paste."""
from flask import Blueprint, abort, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from ..content.loader import ASSET_TYPES
from ..uploads import allow_upload
from . import media, operations
from .forms import MediaForm
from .permissions import course_editor_required
from .routes import DRAFT_PREFIX, _course_folder, _draft_file

bp = Blueprint("authoring_media", __name__, template_folder="templates")


def _draft_page(slug, name):
    """The page `name` of the course's draft, or 404 (no course, no draft, not a text file of it)."""
    _course_folder(slug)
    if not operations.draft_path(slug).is_dir():
        abort(404)
    return _draft_file(slug, name)


def _page(slug, name, form, error=None, status=200):
    files = media.draft_media(slug)
    uploaded = request.args.get("uploaded")
    return render_template("authoring/media.html", slug=slug, name=name, form=form, error=error,
                           files=[(path, media.markdown_for(path, name)) for path in files],
                           uploaded=uploaded if uploaded in files else None,
                           uploaded_markdown=media.markdown_for(uploaded, name, request.args.get("description", ""))
                           if uploaded in files else None, is_audio=media.is_audio), status


@bp.route("/authoring/<slug>/media/<path:name>", methods=["GET", "POST"])
@course_editor_required
@allow_upload(media.MAX_UPLOAD_BYTES)
def upload(slug, name):
    """Add a picture or an audio file beside the page `name`; then show the Markdown to paste into it."""
    _draft_page(slug, name)
    form = MediaForm()
    if not form.is_submitted():
        return _page(slug, name, form)
    if not form.validate():
        return _page(slug, name, form, _("Choose a file and say whether it is a picture or audio."), 422)
    with form.upload.data.stream as stream:  # a large upload is a temporary file: close it at once
        data = stream.read(media.MAX_UPLOAD_BYTES + 1)
    try:
        stored = media.store(slug, name, form.kind.data, form.upload.data.filename or "", data)
    except media.UploadRefused as refused:
        return _page(slug, name, form, str(refused), 422)
    return redirect(url_for(".upload", slug=slug, name=name, uploaded=stored.path,
                            description=form.description.data.strip() or None))


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    if request.endpoint == "authoring_media.upload":
        args = request.view_args or {}
        return _page(args["slug"], args["name"], MediaForm(formdata=None),
                     _("The file is too large: at most %(size)s MB.", size=media.MAX_AUDIO_BYTES // (1024 * 1024)),
                     413)
    return error


@bp.route(f"{DRAFT_PREFIX}/<slug>/assets/<path:path>")
@course_editor_required
def draft_file(slug, path):
    """A picture or audio file of the course's draft, for its editors only."""
    _course_folder(slug)
    if not operations.draft_path(slug).is_dir():
        abort(404)
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if suffix not in ASSET_TYPES or any(part.startswith(".") for part in path.split("/")):
        abort(404)
    response = send_from_directory(operations.draft_path(slug), path, mimetype=ASSET_TYPES[suffix], max_age=0)
    if suffix == ".svg":
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@bp.route(f"{DRAFT_PREFIX}/<slug>")
@course_editor_required
def draft_course_link(slug):
    """A link to the course page from a page of the draft: the course in the editor."""
    return redirect(url_for("authoring.course", slug=slug))


@bp.route(f"{DRAFT_PREFIX}/<slug>/<module_slug>/<item_slug>")
@course_editor_required
def draft_item_link(slug, module_slug, item_slug):
    """A link between pages of the draft: the preview of the page it points to."""
    return redirect(url_for("authoring.preview", slug=slug, module_slug=module_slug, item_slug=item_slug))
