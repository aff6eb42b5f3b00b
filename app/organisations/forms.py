from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Short name for links (optional)"),
                       validators=[Optional(), Length(max=60), Regexp(r"^[a-z0-9-]+$", message=_l(
                           "Use lower-case letters, digits and dashes."))])


class RenameForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])


class MoveUserForm(FlaskForm):
    username = StringField(_l("Username of the person to move here"), validators=[DataRequired(), Length(max=40)])


class StaffForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[SelectChoice("learner", _l("Learner")), SelectChoice("trainer", _l("Trainer"))])
    organisation_admin = BooleanField(_l("Organisation admin"))
