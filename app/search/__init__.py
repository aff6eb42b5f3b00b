"""Search over course content (titles, lessons, glossary) in the page language.

SQLite FTS5 (an in-memory index per process) by default; PostgreSQL full-text search on PostgreSQL.
The index is built from the loaded catalogue, never from the files at request time.
"""
