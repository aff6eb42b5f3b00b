"""Public pages of the competence framework: the whole framework, and one page per competence."""
from flask import Blueprint, abort, render_template
from flask_login import current_user

from ..catalog import get_catalog
from .operations import courses_developing, earned_competences

bp = Blueprint("competences", __name__, template_folder="templates")


@bp.app_context_processor
def _earned():
    """`earned_competences()` for templates: the current learner's competences (the profile lists them)."""
    return {"earned_competences": lambda: earned_competences(current_user.id) if current_user.is_authenticated
            else []}


@bp.route("/competences")
def index():
    """Every competence area and competence, with links to their pages."""
    return render_template("competences/index.html", framework=get_catalog().framework)


@bp.route("/competences/<competence_id>")
def competence(competence_id):
    """One competence: what it means, its area, and the courses that develop it. The target of credentials'
    Open Badges alignments."""
    catalog = get_catalog()
    found = catalog.framework.competences.get(competence_id) or abort(404)
    area = next(area for area in catalog.framework.areas if area.id == found.area)
    return render_template("competences/competence.html", competence=found, area=area, framework=catalog.framework,
                           courses=courses_developing(found.id, catalog))
