"""Workbook forms: the worksheet's own fields are read by their field kinds; this form carries the CSRF token."""
from flask_wtf import FlaskForm


class WorksheetForm(FlaskForm):
    """A worksheet save: CSRF only; every field is read and checked by its kind (app.content.worksheets)."""
