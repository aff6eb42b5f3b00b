"""What "my learning" shows: the next step of each path, and attempts grouped by course."""
from dataclasses import dataclass


@dataclass(frozen=True)
class NextStep:
    """Where a learning path goes on: the first item not done of its first course not completed."""

    path: object
    course: object = None
    item: object = None

    @property
    def finished(self):
        return self.course is None


def next_steps(catalog, states):
    """The next step of every path the learner has started, in catalogue order."""
    steps = []
    for path in catalog.paths:
        chosen = [states[slug] for slug in path.course_slugs if slug in states]
        if not any(state.started or state.best_scores for state in chosen):
            continue
        pending = next((state for state in chosen if state.completed_at is None and state.continue_item()), None)
        steps.append(NextStep(path, pending.course, pending.continue_item()) if pending else NextStep(path))
    return steps


def attempts_by_course(attempts, catalog):
    """[(course or None, [(attempt, quiz or None, module or None)])]: newest first, courses in catalogue order."""
    groups: dict[str, tuple] = {}
    for attempt in attempts:
        course = catalog.course(attempt.course_slug)
        quiz = course.item(attempt.quiz_key) if course else None
        module = next((m for m in course.modules if m.slug == quiz.module_slug), None) if quiz else None
        groups.setdefault(attempt.course_slug, (course, []))[1].append((attempt, quiz, module))
    order = list(catalog.courses)
    return sorted(groups.values(), key=lambda group: order.index(group[0].slug) if group[0] else len(order))
