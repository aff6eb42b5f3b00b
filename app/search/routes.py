from flask import Blueprint, current_app, render_template, request

from ..catalog import get_catalog
from ..i18n import current_language
from .forms import SearchForm
from .operations import search as search_content

bp = Blueprint("search", __name__, template_folder="templates")


@bp.route("/search")
def search():
    """Course content matching the words typed, in the page language, with the matches marked."""
    form = SearchForm(request.args)
    query = (form.q.data or "").strip()
    hits = search_content(current_app, query, current_language()) if query and form.validate() else []
    catalog = get_catalog()
    results = [(hit, catalog.course(hit.course_slug)) for hit in hits if catalog.course(hit.course_slug)]
    return render_template("search/results.html", form=form, query=query, results=results)
