from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectChoice, DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..auth.forms import language_choices


class CohortForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    language = SelectField(_l("Language of the cohort"), choices=language_choices,
                           description=_l("New learners get this language unless their row says otherwise."))
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    join_code_expires_on = DateField(_l("Join code works until"), validators=[Optional()],
                                     description=_l("Leave empty to keep the code working until you renew it."))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date is before the start date."))


class AssignForm(FlaskForm):
    #: `course:<slug>` or `path:<slug>`
    target = SelectField(_l("Course or learning path"))
    due_on = DateField(_l("Due date (optional)"), validators=[Optional()])


class JoinForm(FlaskForm):
    code = StringField(_l("Join code"), validators=[DataRequired(), Length(max=32)],
                       description=_l("Your trainer gives you this code, for example K7MP-2XQA."))


class AddLearnersForm(FlaskForm):
    learners = SelectMultipleField(_l("Learners"), coerce=int, validate_choice=False)


class ImportForm(FlaskForm):
    pasted = TextAreaField(_l("Paste the list"), validators=[Optional(), Length(max=500_000)],
                           description=_l("One learner per line, the first line naming the columns."))
    upload = FileField(_l("Or upload a CSV or XLSX file"))


class CardsForm(FlaskForm):
    learners = SelectMultipleField(_l("Learners"), coerce=int, validate_choice=False)


class ReportForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it only reads

    start = DateField(_l("From"), validators=[DataRequired()])
    end = DateField(_l("To"), validators=[DataRequired()])

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date is before the start date."))


class DashboardFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search by name"), validators=[Optional(), Length(max=120)])
    show = SelectField(_l("Show"), choices=[SelectChoice("", _l("Everyone")), SelectChoice("late", _l("Late")),
                                            SelectChoice("inactive", _l("Inactive")), SelectChoice("completed", _l("Completed"))],
                       validators=[Optional()])
    days = IntegerField(_l("Inactive for at least (days)"), default=14, validators=[Optional(), NumberRange(1, 3650)])
    sort = SelectField(_l("Sort by"), choices=[SelectChoice("name", _l("Name")), SelectChoice("progress", _l("Progress")),
                                               SelectChoice("activity", _l("Last activity"))], validators=[Optional()])
