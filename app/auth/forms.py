"""Account forms: registration, login, profile and password change."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from ..models.user import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from ..i18n import LANGUAGE_NAMES

USERNAME_RULE = Regexp(r"^[\w.-]+$", message=_l("Use letters, digits, dots, dashes or underscores."))


def language_choices():
    return [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


def track_choices():
    return [SelectChoice("entrepreneur", _l("I want to start a small business")),
            SelectChoice("operator", _l("I support others (operator, NGO staff)"))]


class RegisterForm(FlaskForm):
    display_name = StringField(_l("Your name as it should appear on a certificate"),
                               validators=[DataRequired(), Length(max=120)])
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=3, max=40), USERNAME_RULE],
                           description=_l("You will use it to log in."))
    email = EmailField(_l("Email (optional)"), validators=[Optional(), Length(max=254), Email(check_deliverability=False)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
                             description=_l("At least 8 characters."))
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])
    locale = SelectField(_l("Language"), choices=language_choices)
    track = RadioField(_l("What brings you here?"), choices=track_choices, default="entrepreneur")


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Your name as it should appear on a certificate"),
                               validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email (optional)"), validators=[Optional(), Length(max=254), Email(check_deliverability=False)])
    locale = SelectField(_l("Language"), choices=language_choices)
    track = RadioField(_l("What brings you here?"), choices=track_choices)


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])

