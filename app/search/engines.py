"""The two full-text engines behind one interface: `rebuild(documents, version)` and `search(...)`."""
import hashlib
import re
import sqlite3
import threading
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import delete, insert, select, text

from .documents import normalise
from .models import SearchEntry

#: marks around a match in the engines' output, turned into <mark> after escaping
START, STOP = "\x02", "\x03"
WORD = re.compile(r"\w+")
MAX_RESULTS = 30
#: PostgreSQL text search configurations; any other language is matched word for word
PG_CONFIGS = {"en": "english", "it": "italian", "fr": "french", "es": "spanish", "ar": "arabic", "pt": "portuguese",
              "de": "german"}


@dataclass(frozen=True)
class Hit:
    kind: str
    course_slug: str
    item_key: str
    title: Markup
    snippet: Markup


def query_words(query):
    """The words of a query, normalised like the index; at most ten."""
    return WORD.findall(normalise(query).lower())[:10]


def highlighted(marked):
    """Escape engine output, then turn its match marks into <mark> elements."""
    return Markup(str(escape(marked)).replace(START, "<mark>").replace(STOP, "</mark>"))


def content_version(catalog):
    parts = "\n".join(f"{slug}:{course.version}" for slug, course in catalog.courses.items())
    return hashlib.sha256(parts.encode()).hexdigest()


class SqliteIndex:
    """SQLite FTS5 in memory: built in the process that loaded the catalogue, read by its threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._connection = None
        self.version = None
        self.pending = None  # a catalogue loaded but not indexed yet

    def rebuild(self, documents, version):
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        connection.execute(
            "CREATE VIRTUAL TABLE entries USING fts5(title, body, lang UNINDEXED, kind UNINDEXED,"
            " course_slug UNINDEXED, item_key UNINDEXED, tokenize = \"unicode61 remove_diacritics 2\")")
        connection.executemany(
            "INSERT INTO entries (title, body, lang, kind, course_slug, item_key) VALUES (?, ?, ?, ?, ?, ?)",
            [(d.title, d.body, d.lang, d.kind, d.course_slug, d.item_key) for d in documents])
        connection.commit()
        with self._lock:
            self._connection, self.version = connection, version

    def search(self, query, lang):
        words = query_words(query)
        if not words or self._connection is None:
            return []
        match = " ".join(f'"{word}"' for word in words[:-1]) + f' "{words[-1]}"*'
        with self._lock:
            rows = self._connection.execute(
                "SELECT kind, course_slug, item_key, highlight(entries, 0, ?, ?),"
                " snippet(entries, 1, ?, ?, '…', 24) FROM entries"
                " WHERE entries MATCH ? AND lang = ? ORDER BY bm25(entries, 5.0, 1.0) LIMIT ?",
                (START, STOP, START, STOP, match, lang, MAX_RESULTS)).fetchall()
        return [Hit(kind, slug, key, highlighted(title), highlighted(snippet))
                for kind, slug, key, title, snippet in rows]


class PostgresIndex:
    """PostgreSQL full-text search over the search_entries table, shared by every worker."""

    #: taken while one worker rebuilds, so the others wait and then find the new version
    LOCK_KEY = 0x50611A

    def __init__(self, db):
        self.db = db
        self.version = None
        self.pending = None

    def rebuild(self, documents, version):
        session = self.db.session
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": self.LOCK_KEY})
        current = session.scalar(select(SearchEntry.content_version).limit(1))
        if current != version:
            session.execute(delete(SearchEntry))
            rows = [{"content_version": version, "lang": d.lang, "text_config": PG_CONFIGS.get(d.text_lang, "simple"),
                     "kind": d.kind, "course_slug": d.course_slug, "item_key": d.item_key, "title": d.title,
                     "body": d.body} for d in documents]
            if rows:
                session.execute(insert(SearchEntry), rows)
            session.execute(text(
                "UPDATE search_entries SET document ="
                " setweight(to_tsvector(text_config::regconfig, title), 'A')"
                " || setweight(to_tsvector(text_config::regconfig, body), 'B')"))
        session.commit()
        self.version = version

    def search(self, query, lang):
        words = query_words(query)
        if not words:
            return []
        # words only (no operators can get in), all required, the last one also as a prefix
        tsquery = " & ".join(words[:-1] + [f"{words[-1]}:*"])
        options = (f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2,"
                   " FragmentDelimiter=\" … \"")
        rows = self.db.session.execute(text(
            "SELECT kind, course_slug, item_key,"
            " ts_headline(q.config, title, q.query, :whole), ts_headline(q.config, body, q.query, :options)"
            " FROM search_entries,"
            " LATERAL (SELECT text_config::regconfig AS config,"
            "                 to_tsquery(text_config::regconfig, :tsquery) AS query) AS q"
            " WHERE lang = :lang AND document @@ q.query"
            " ORDER BY ts_rank(document, q.query) DESC, id LIMIT :limit"),
            {"tsquery": tsquery, "lang": lang, "limit": MAX_RESULTS, "options": options,
             "whole": f"StartSel={START}, StopSel={STOP}, HighlightAll=true"}).all()
        return [Hit(kind, slug, key, highlighted(title), highlighted(snippet))
                for kind, slug, key, title, snippet in rows]
