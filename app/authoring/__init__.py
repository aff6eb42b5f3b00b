"""Authoring in the browser: drafts of a course, publishing as git commits, history and rollback."""
