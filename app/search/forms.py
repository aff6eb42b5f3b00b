from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField
from wtforms.validators import Length


class SearchForm(FlaskForm):
    """The search box: a GET form, so a result page can be linked to and needs no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search the courses"), validators=[Length(max=100)])
