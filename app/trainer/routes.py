"""Trainer pages: the content report and previews with the answer key."""
from flask import Blueprint, render_template

from ..catalog import get_catalog
from ..courses import get_course, get_item, localised
from ..security import role_required

bp = Blueprint("trainer", __name__, url_prefix="/trainer", template_folder="templates")


@bp.route("/")
@role_required("trainer")
def index():
    """The content report (same as `flask courses check`) and the catalogue to preview."""
    catalog = get_catalog()
    return render_template("trainer/index.html", catalog=catalog)


@bp.route("/preview/<course_slug>/<module_slug>/<item_slug>")
@role_required("trainer")
def preview(course_slug, module_slug, item_slug):
    """A lesson or quiz as learners see it, every language version, quizzes with the answer key."""
    course = get_course(course_slug)
    item = get_item(course, module_slug, item_slug)
    text, fell_back = localised(item.texts, course)
    return render_template("trainer/preview.html", course=course, item=item, text=text, fell_back=fell_back)
