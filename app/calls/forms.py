"""Call forms: opening a call (organisation admins); submitting, withdrawing and scoring carry CSRF only."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import DataRequired, Length


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CallForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    deadline = DateTimeLocalField(_l("Deadline (UTC)"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    course = SelectField(_l("Course whose worksheets make the plan"), validators=[DataRequired()])
    worksheets = CheckboxesField(_l("Worksheets a submission must include, complete"),
                                 validators=[DataRequired(_l("Choose at least one worksheet."))])
    rubric = TextAreaField(_l("Scoring criteria, one per line: name | weight"), validators=[DataRequired()],
                           description=_l("For example: Clear idea | 2"))
    jurors = CheckboxesField(_l("Jury members"), coerce=int,
                             validators=[DataRequired(_l("Choose at least one jury member."))])


class ActionForm(FlaskForm):
    """Submit, withdraw, score: CSRF only (scores are read per criterion)."""
