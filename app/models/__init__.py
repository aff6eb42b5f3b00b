"""Persistence: what people did. Content is referred to by stable slugs, never by foreign key."""
from .certificate import Certificate, CertificateEvent
from .progress import CourseCompletion, Enrolment, LessonProgress
from .quiz import QuestionAnswer, QuizAttempt
from .user import User

__all__ = [
    "Certificate", "CertificateEvent", "CourseCompletion", "Enrolment", "LessonProgress",
    "QuestionAnswer", "QuizAttempt", "User",
]
