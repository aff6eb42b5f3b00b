"""Language choice: a switch (?lang=, kept for the session), then the user's preference, then the browser's."""
from urllib.parse import urlencode

from flask import current_app, g, request, session
from flask_babel import get_translations, lazy_pgettext
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

LANGUAGE_NAMES = {"en": "English", "it": "Italiano", "ar": "العربية", "fr": "Français", "es": "Español"}
#: what people see for the stored role values
ROLE_NAMES = {"learner": lazy_pgettext("role", "Learner"), "trainer": lazy_pgettext("role", "Trainer"),
              "admin": lazy_pgettext("role", "Administrator")}


def supported():
    return current_app.config["LANGUAGES"]


def select_locale():
    """A language switched to on this page or earlier in this session wins, even over the saved preference.

    Logging in starts a new session, so the preference applies again from then on.
    """
    languages = supported()
    asked = _asked_language()
    if asked in languages:
        return asked
    if session.get("lang") in languages:
        return session["lang"]
    user = current_user._get_current_object()
    if user and user.is_authenticated and user.locale in languages:
        return user.locale
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _asked_language():
    """`?lang=` of this request; most queries need no parsing to know there is none."""
    query = request.query_string
    return request.args.get("lang") if b"lang" in query or b"%" in query else None


def switch_url(lang):
    """This page's address in another language: the other query arguments stay."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return request.path + "?" + urlencode(args + [("lang", lang)])


def current_language():
    """The two-letter code of the language the page is shown in."""
    if "soglia_lang" not in g:  # Babel's locale when it has one (or one is forced), else the selector's choice
        babel = g.get("_flask_babel")
        chosen = getattr(babel, "babel_locale", None) or select_locale()
        g.soglia_lang = str(chosen or current_app.config["BABEL_DEFAULT_LOCALE"]).split("_")[0]
    return g.soglia_lang


def text_direction(lang):
    return "rtl" if lang in current_app.config["RTL_LANGUAGES"] else "ltr"


def title_of(thing, course):
    """The title of a course, module, lesson or quiz in the page language, else the course's."""
    texts = thing.texts
    return (texts.get(current_language()) or texts[course.language]).title


def page_gettext(translate):
    """Templates' `_()` bound to one catalogue: translated, escaped like the page, then filled with its variables.

    Like Jinja's own new-style gettext, the result is always a format string (`%%` means `%`).
    """

    @pass_context
    def gettext(context, string, **variables):
        translated = translate(string)
        if context.eval_ctx.autoescape:
            translated = Markup(translated)
        return translated % variables

    return gettext


def init_app(app):
    @app.before_request
    def _remember_language_choice():
        asked = _asked_language()
        if asked in app.config["LANGUAGES"] and session.get("lang") != asked:
            session["lang"] = asked

    @app.context_processor
    def _language_context():
        lang = current_language()
        translations = get_translations()
        return {
            # bound once per page instead of looking the catalogue up for every string
            "gettext": page_gettext(translations.ugettext),
            "html_lang": lang,
            "html_dir": text_direction(lang),
            "language_names": {code: LANGUAGE_NAMES.get(code, code) for code in app.config["LANGUAGES"]},
            "text_direction": text_direction,
            "switch_url": switch_url,
            "role_names": ROLE_NAMES,
            "title_of": title_of,
        }
