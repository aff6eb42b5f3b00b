"""The break-even worksheet the content and workbook tests share: its opening, then each test's own fields."""

OPENING = """---
title: {title}
minutes: 10
---

Work out **your** break-even point.

## What you sell {{#product}}
type: text
example: Wraps

One product, or your main one.
"""


def break_even_sheet(title, fields):
    """A worksheet file: front matter, introduction and the product field, then `fields` (Markdown)."""
    return OPENING.format(title=title) + "\n" + fields
