from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length

from ..models.user import MAX_PASSWORD_LENGTH


class AcceptNoticeForm(FlaskForm):
    accept = BooleanField(_l("I have read the privacy notice above."),
                          validators=[DataRequired(message=_l("Please read the privacy notice and tick the box."))])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    confirm = BooleanField(_l("I understand: my account and my data are deleted for ever."),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])
