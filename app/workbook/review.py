"""Operator review: a learner shares their plan with a trainer of their organisation, who comments on it and
marks it ready for the interview. Every load checks who may see what, and answers 404 otherwise."""
from collections import defaultdict
from dataclasses import dataclass

from flask import abort
from sqlalchemy import and_, bindparam, case, func, select, update

from ..content.model import Course, Worksheet
from ..database import prepared
from ..extensions import db
from ..models import User
from ..models.base import utcnow
from .models import PlanComment, PlanShare

#: the longest comment a reviewer may write, in characters
MAX_COMMENT = 2000


class ReviewError(ValueError):
    """A review action that cannot be done: `code` names why (shown to the person in their language)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def reviewers_for(learner: User) -> list[User]:
    """The trainers of the learner's organisation, by name: the people they may share their plan with."""
    return list(db.session.scalars(select(User).where(
        User.organisation_id == learner.organisation_id, User.role.in_(("trainer", "admin")), User.id != learner.id,
    ).order_by(User.display_name)))


def share_plan(learner: User, course: Course, reviewer_id: int) -> PlanShare:
    """Share (again) the learner's plan in `course` with one trainer of their organisation."""
    if reviewer_id not in {user.id for user in reviewers_for(learner)}:
        raise ReviewError("unknown_reviewer")
    share = db.session.scalar(select(PlanShare).where(
        PlanShare.learner_id == learner.id, PlanShare.course_slug == course.slug, PlanShare.reviewer_id == reviewer_id))
    if share is None:
        share = PlanShare(learner_id=learner.id, course_slug=course.slug, reviewer_id=reviewer_id)
        db.session.add(share)
    share.withdrawn_at = None
    share.shared_at = utcnow()
    db.session.flush()
    return share


def withdraw_share(share: PlanShare) -> None:
    """The learner takes their consent back: the reviewer can no longer open the plan."""
    if share.withdrawn_at is None:
        share.withdrawn_at = utcnow()


def shares_of(learner_id: int, course_slug: str) -> list[PlanShare]:
    return list(db.session.scalars(select(PlanShare).where(
        PlanShare.learner_id == learner_id, PlanShare.course_slug == course_slug).order_by(PlanShare.shared_at)))


def own_share_or_404(learner: User, share_id: int) -> PlanShare:
    """One of the learner's own shares, else 404."""
    share = db.session.get(PlanShare, share_id)
    if share is None or share.learner_id != learner.id:
        abort(404)
    return share


def reviewable_share_or_404(reviewer: User, share_id: int) -> PlanShare:
    """A plan shared with this reviewer, still shared, by a learner of their organisation; else 404."""
    share = db.session.get(PlanShare, share_id)
    if (share is None or share.reviewer_id != reviewer.id or not share.active
            or share.learner.organisation_id != reviewer.organisation_id):
        abort(404)
    return share


@dataclass
class SharedPlan:
    """A line of the reviewer's list: the share, its comments, and its status."""

    share: PlanShare
    comments: int

    @property
    def status(self) -> str:
        return "ready" if self.share.ready_at else "commented" if self.comments else "new"


def shared_with(reviewer: User) -> list[SharedPlan]:
    """The plans shared with a reviewer and not withdrawn, newest first, with their comment counts (one query)."""
    counts = select(PlanComment.share_id, func.count().label("n")).group_by(PlanComment.share_id).subquery()
    rows = db.session.execute(select(PlanShare, func.coalesce(counts.c.n, 0)).join(
        User, User.id == PlanShare.learner_id).outerjoin(counts, counts.c.share_id == PlanShare.id).where(
        PlanShare.reviewer_id == reviewer.id, PlanShare.withdrawn_at.is_(None),
        User.organisation_id == reviewer.organisation_id).order_by(PlanShare.shared_at.desc()))
    return [SharedPlan(share, count) for share, count in rows]


def add_comment(share: PlanShare, author: User, course: Course, worksheet_key: str, field_id: str,
                body: str) -> PlanComment:
    """A comment on a worksheet of the shared plan, or on one of its fields."""
    worksheet = course.item(worksheet_key)
    if not isinstance(worksheet, Worksheet):
        raise ReviewError("unknown_place")
    if field_id and field_id not in {f.id for f in worksheet.versions[course.language].fields}:
        raise ReviewError("unknown_place")
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ReviewError("empty")
    if len(body) > MAX_COMMENT:
        raise ReviewError("too_long")
    comment = PlanComment(share_id=share.id, author_id=author.id, worksheet_key=worksheet_key, field_id=field_id,
                          body=body)
    db.session.add(comment)
    db.session.flush()
    return comment


def mark_ready(share: PlanShare, ready: bool) -> None:
    """Mark the plan ready for the interview (or take the mark back)."""
    share.ready_at = utcnow() if ready else None


def comments_on_plan(learner_id: int, course_slug: str) -> dict[tuple[str, str], list[PlanComment]]:
    """Every comment on a learner's plan, by (worksheet key, field id or ''), oldest first."""
    found: dict[tuple[str, str], list[PlanComment]] = defaultdict(list)
    for comment in db.session.scalars(select(PlanComment).join(PlanShare).where(
            PlanShare.learner_id == learner_id, PlanShare.course_slug == course_slug).order_by(PlanComment.id)):
        found[(comment.worksheet_key, comment.field_id)].append(comment)
    return found


@dataclass
class ReviewNotice:
    """What a learner's home page tells them about their shared plans in one course."""

    course_slug: str
    new_comments: int
    ready: bool


def _review_notices_statement():
    """Per course of the learner's shares: comments not seen yet (of any share) and whether a share that is not
    withdrawn was marked ready, as one row."""
    shares, comments = PlanShare.__table__, PlanComment.__table__
    ready = case((and_(shares.c.ready_at.is_not(None), shares.c.withdrawn_at.is_(None)), 1), else_=0)
    unseen = and_(comments.c.share_id == shares.c.id, comments.c.seen_at.is_(None))
    return (select(shares.c.course_slug, func.count(comments.c.id), func.max(ready))
            .select_from(shares.outerjoin(comments, unseen))
            .where(shares.c.learner_id == bindparam("learner_id"))
            .group_by(shares.c.course_slug).order_by(shares.c.course_slug))


def review_notices(learner_id: int) -> list[ReviewNotice]:
    """Per course: comments not seen yet, and whether a reviewer marked the plan ready (one Core statement)."""
    rows = db.session.connection().execute(prepared(_review_notices_statement), {"learner_id": learner_id})
    return [ReviewNotice(slug, unseen, bool(ready)) for slug, unseen, ready in rows if unseen or ready]


def mark_comments_seen(learner_id: int, course_slug: str) -> None:
    """The learner has seen every comment on their plan in this course."""
    share_ids = select(PlanShare.id).where(PlanShare.learner_id == learner_id, PlanShare.course_slug == course_slug)
    db.session.execute(update(PlanComment).where(PlanComment.share_id.in_(share_ids), PlanComment.seen_at.is_(None))
                       .values(seen_at=utcnow()))


def reviewed_by(reviewer_id: int, learner_id: int) -> bool:
    """Whether this person was ever asked to review this learner's plan (even if the share was withdrawn)."""
    return db.session.scalar(select(PlanShare.id).where(
        PlanShare.reviewer_id == reviewer_id, PlanShare.learner_id == learner_id).limit(1)) is not None
