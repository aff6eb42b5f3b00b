"""Workbook forms: the worksheet's own fields are read by their field kinds; sharing and review forms are here."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from .review import MAX_COMMENT


class WorksheetForm(FlaskForm):
    """A worksheet save: CSRF only; every field is read and checked by its kind (app.content.worksheets)."""


class ActionForm(FlaskForm):
    """A button that changes something (withdraw, mark ready): CSRF only."""


class ShareForm(FlaskForm):
    reviewer = SelectField(_l("Trainer"), coerce=int, validators=[DataRequired()])
    consent = BooleanField(_l("I agree that this trainer may read my business plan and comment on it. "
                              "I can withdraw this at any time."),
                           validators=[DataRequired(_l("Please tick the box to give your consent."))])


class CommentForm(FlaskForm):
    place = SelectField(_l("About"), validators=[DataRequired()])
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=MAX_COMMENT)])
