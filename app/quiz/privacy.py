"""Privacy provider for quizzes: every attempt with its answers."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..extensions import db
from ..models import QuestionAnswer, QuizAttempt
from ..privacy.registry import Provider, register, rows_of


def export_attempts(user_id):
    attempts = rows_of(QuizAttempt, QuizAttempt.user_id == user_id, exclude=("user_id", "seed"))
    for attempt in attempts:
        attempt["answers"] = rows_of(QuestionAnswer, QuestionAnswer.attempt_id == attempt["id"],
                                     exclude=("id", "attempt_id"))
    return attempts


def erase_answers(user):
    """What the learner answered goes; whether it was right and the scores stay, for the quiz statistics."""
    mine = select(QuizAttempt.id).where(QuizAttempt.user_id == user.id)
    db.session.execute(update(QuestionAnswer).where(QuestionAnswer.attempt_id.in_(mine)).values(response=None))


register(Provider(name="quiz_attempts", title=_l("Your quiz attempts and answers"),
                  tables=("quiz_attempts", "question_answers"), export=export_attempts, erase=erase_answers))
