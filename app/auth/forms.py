"""Account forms: registration, login, profile and password change."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from ..i18n import LANGUAGE_NAMES
from ..models.user import DISPLAY_NAME_LENGTH, EMAIL_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, USERNAME_LENGTH
from .names import clean_display_name, clean_username

USERNAME_RULE = Regexp(r"^[\w.-]+$", message=_l("Use letters, digits, dots, dashes or underscores."))


def language_choices():
    return [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


def track_choices():
    return [SelectChoice("entrepreneur", _l("I want to start a small business")),
            SelectChoice("operator", _l("I support others (operator, NGO staff)"))]


def display_name_field():
    """Validated after cleaning, so a name that grows under Unicode normalisation cannot overflow its column."""
    return StringField(_l("Your name as it should appear on a certificate"), filters=[clean_display_name],
                       validators=[DataRequired(), Length(max=DISPLAY_NAME_LENGTH)])


def email_field():
    return EmailField(_l("Email (optional)"),
                      validators=[Optional(), Length(max=EMAIL_LENGTH), Email(check_deliverability=False)])


def new_password_fields(label):
    password = PasswordField(label, description=_l("At least 8 characters."),
                             validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)])
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])
    return password, confirm


def username_field(description=None):
    return StringField(_l("Username"), filters=[clean_username], description=description,
                       validators=[DataRequired(), Length(min=3, max=USERNAME_LENGTH), USERNAME_RULE])


class RegisterForm(FlaskForm):
    display_name = display_name_field()
    username = username_field(_l("You will use it to log in."))
    email = email_field()
    password, confirm = new_password_fields(_l("Password"))
    locale = SelectField(_l("Language"), choices=language_choices)
    track = RadioField(_l("What brings you here?"), choices=track_choices, default="entrepreneur")
    join_code = StringField(_l("Join code (optional)"), validators=[Optional(), Length(max=32)],
                            description=_l("If your trainer gave you a code, enter it to join your group."))
    accept_notice = BooleanField(_l("I have read the privacy notice above."), validators=[
        DataRequired(message=_l("Please read the privacy notice and tick the box."))])


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), filters=[clean_username],
                           validators=[DataRequired(), Length(max=USERNAME_LENGTH)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ProfileForm(FlaskForm):
    display_name = display_name_field()
    email = email_field()
    locale = SelectField(_l("Language"), choices=language_choices)
    track = RadioField(_l("What brings you here?"), choices=track_choices)


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])


class RecoverForm(FlaskForm):
    username = StringField(_l("Username"), filters=[clean_username],
                           validators=[DataRequired(), Length(max=USERNAME_LENGTH)])
    code = StringField(_l("One of your recovery codes"), validators=[DataRequired(), Length(max=40)])
    password, confirm = new_password_fields(_l("New password"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=EMAIL_LENGTH),
                                                Email(check_deliverability=False)])


class ResetForm(FlaskForm):
    password, confirm = new_password_fields(_l("New password"))


class LearnerAccountForm(FlaskForm):
    """A trainer makes an account for a learner who cannot register alone."""

    display_name = display_name_field()
    username = username_field()
    locale = SelectField(_l("Language"), choices=language_choices)
    track = RadioField(_l("What brings you here?"), choices=track_choices, default="entrepreneur")
