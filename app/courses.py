"""Load content by slug and pick its language version, or abort 404."""
from flask import abort

from .catalog import get_catalog
from .content.model import pick
from .i18n import current_language


def get_course(course_slug):
    course = get_catalog().course(course_slug)
    if course is None:
        abort(404)
    return course


def get_item(course, module_slug, item_slug, kind=None):
    """The lesson or quiz at `<module>/<item>` of `course`; 404 if absent or of another kind."""
    item = course.item(f"{module_slug}/{item_slug}")
    if item is None or (kind and item.kind != kind):
        abort(404)
    return item


def localised(versions, course):
    """(version in the page language, True if it fell back to the course language)."""
    return pick(versions, current_language(), course.language)
