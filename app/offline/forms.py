from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class DataSaverForm(FlaskForm):
    data_saver = BooleanField(_l("Data saver: load images only when I ask, never preload sound or video"))
