"""Authoring forms: a file's Markdown, the message of a publish, the structure of a course."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

#: a course file larger than this is not edited in the browser
MAX_FILE_CHARS = 200_000


class EditForm(FlaskForm):
    text = TextAreaField(_l("Markdown"), validators=[Length(max=MAX_FILE_CHARS)])
    base = HiddenField()


class PublishForm(FlaskForm):
    message = StringField(_l("What did you change?"), validators=[DataRequired(), Length(max=500)],
                          description=_l("Shown in the course history, e.g. “Fixed the interest example in lesson 2”."))


class EditorForm(FlaskForm):
    user = SelectField(_l("Trainer to add"), choices=[])


class ImportForm(FlaskForm):
    package = FileField(_l("Course package (.zip)"), validators=[FileRequired()],
                        description=_l("A zip of one course folder, as exported from Soglia."))


class GiftForm(FlaskForm):
    upload = FileField(_l("GIFT file from Moodle"), validators=[FileRequired()])
    module = SelectField(_l("Module"), choices=[])
    title = StringField(_l("Title of the new quiz"), validators=[DataRequired(), Length(max=120)])


SLUG_HELP = _l("Part of the address: lowercase letters a–z, digits and single dashes, e.g. “saving-basics”. "
               "Leave it empty to make it from the title.")


class NewCourseForm(FlaskForm):
    title = StringField(_l("Title of the course"), validators=[DataRequired(), Length(max=120)])
    slug = StringField(_l("Short name"), validators=[Length(max=60)], description=SLUG_HELP)


class AddModuleForm(FlaskForm):
    title = StringField(_l("Title of the new module"), validators=[DataRequired(), Length(max=120)])
    slug = StringField(_l("Short name"), validators=[Length(max=60)], description=SLUG_HELP)


class AddItemForm(FlaskForm):
    kind = SelectField(_l("Add"), choices=[SelectChoice("lesson", _l("a lesson")), SelectChoice("quiz", _l("a quiz"))])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    slug = StringField(_l("Short name"), validators=[Length(max=60)], description=SLUG_HELP)


class RenameForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    slug = StringField(_l("Short name"), validators=[DataRequired(), Length(max=60)],
                       description=_l("Part of the address and of learners' records: change it only if you must."))
    confirm = BooleanField(_l("Rename it all the same: their progress on it will no longer be shown"))


class LivePreviewForm(FlaskForm):
    text = TextAreaField(validators=[Length(max=MAX_FILE_CHARS)])
class MediaForm(FlaskForm):
    kind = RadioField(_l("What are you adding?"), choices=[SelectChoice("image", _l("A picture")),
                                                           SelectChoice("audio", _l("Audio (it needs a transcript)"))],
                      default="image")
    upload = FileField(_l("File"), validators=[FileRequired()],
                       description=_l("Pictures: JPEG, PNG, WebP or GIF, made smaller for phones. "
                                      "Audio: MP3, Ogg, Opus or M4A."))
    description = StringField(_l("What does it show or say?"), validators=[Length(max=300)],
                              description=_l("For a picture, its text for people who cannot see it; "
                                             "for audio, its title."))


class TranslationForm(FlaskForm):
    text = TextAreaField(_l("Translation"), validators=[Length(max=MAX_FILE_CHARS)])
    base = HiddenField()
    original = HiddenField()
