"""Read a courses/ tree into immutable objects, reporting every problem with its file and line.

A course with an error is reported and skipped; the others load. Nothing here raises on bad
content: every mistake a trainer can make becomes a Problem. The parts: `frontmatter` (the YAML
block and its keys), `course` (folders, modules, lessons, quizzes), `quiz` (question syntax),
`translations` (what a translation must keep), `paths` (paths.yml), `reporter`, and `catalog`.
"""
from .catalog import load_catalog, tree_signature
from .course import content_hash, load_course
from .names import ASSET_TYPES
from .quiz import parse_quiz
from .reporter import Reporter

__all__ = ["ASSET_TYPES", "Reporter", "content_hash", "load_catalog", "load_course", "parse_quiz", "tree_signature"]
