"""Trainers: the content check report, previews with answer keys, and learners' progress."""
