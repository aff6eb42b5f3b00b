"""Privacy provider for learning progress: courses started, lessons done, courses completed."""
from flask_babel import lazy_gettext as _l

from ..models import CourseCompletion, Enrolment, LessonProgress
from ..privacy.registry import Provider, register, rows_of


def export_progress(user_id):
    return {
        "courses_started": rows_of(Enrolment, Enrolment.user_id == user_id, exclude=("id", "user_id")),
        "lessons_done": rows_of(LessonProgress, LessonProgress.user_id == user_id, exclude=("id", "user_id")),
        "courses_completed": rows_of(CourseCompletion, CourseCompletion.user_id == user_id,
                                     exclude=("id", "user_id")),
    }


def keep_progress(user):
    """Progress rows name no one once the account is anonymised; they stay so that course totals stay right."""


register(Provider(name="progress", title=_l("Your progress"),
                  tables=("enrolments", "lesson_progress", "course_completions"),
                  export=export_progress, erase=keep_progress))
