"""The business-plan PDF: WeasyPrint from a Jinja template, Noto fonts, nothing fetched, optionally bilingual."""
from babel.numbers import format_decimal
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..certificates.pdf import render_html_pdf, writing_direction
from ..i18n import text_direction
from .plan import CANVAS_BLOCKS, PlanSheet


def ui_labels():
    """The words of the plan around the learner's own (in the current locale)."""
    return {
        "plan": _("Business plan"), "prepared_by": _("Prepared by"),
        "chart": _("Cash-flow chart: balance at the end of each month"), "planned": _("Planned balance"),
        "bad": _("Bad case"), "cannot": _("Cannot compute yet"), "not_filled": _("Not filled in yet"),
        "incomplete": _("This worksheet is not complete yet."),
    }


def render_plan_pdf(learner_name, course, sheets: list[PlanSheet], languages: list[str], organisation_name):
    """The plan as PDF bytes: the page in the first language, every label also in the second one if asked."""
    ui = {}
    for lang in languages:
        with force_locale(lang):
            ui[lang] = ui_labels()
    first = languages[0]

    def number(value):
        return format_decimal(value, locale=first, format="#,##0.##", numbering_system="latn")

    canvas_text_length = sum(len(str(f.value or "")) for sheet in sheets if sheet.is_canvas for f in sheet.fields)
    with force_locale(first):
        html = render_template(
            "workbook/plan_pdf.html", learner_name=learner_name, course=course, sheets=sheets, languages=languages,
            ui=ui, ui_in_each={key: [ui[lang][key] for lang in languages] for key in ui[first]}, lang=first, page_dir=text_direction(first), direction=writing_direction, number=number,
            canvas_blocks=CANVAS_BLOCKS, organisation_name=organisation_name,
            canvas_font=9 if canvas_text_length < 2500 else 7.5 if canvas_text_length < 5000 else 6,
            course_titles=[course.texts.get(lang, course.texts[course.language]).title for lang in languages],
        )
    return render_html_pdf(html)
