"""Course content: Markdown files in courses/ read into immutable objects.

This package owns the course format, its checker and the one sanitising renderer.
It imports neither Flask nor the database, so it can be used and tested on its own.
"""
