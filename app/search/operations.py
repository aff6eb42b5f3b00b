"""Keep the search index in step with the loaded catalogue, and search it."""
from ..extensions import db
from .documents import catalogue_documents
from .engines import PostgresIndex, SqliteIndex, content_version

EXTENSION = "soglia.search"


def init_app(app):
    """Pick the engine for the app's database and index the catalogue it has loaded."""
    on_postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    app.extensions[EXTENSION] = PostgresIndex(db) if on_postgres else SqliteIndex()
    from .. import catalog

    catalog.add_load_listener(app, catalog_loaded)
    catalog_loaded(app, catalog.get_catalog(app))


def catalog_loaded(app, loaded):
    """Build the index from freshly loaded content.

    SQLite's in-memory index is built at once. PostgreSQL's table is shared by all workers and may not
    exist before the first migration, so it is rebuilt on the first search after a load, and only when
    no other worker has already built it for the same content.
    """
    index = app.extensions[EXTENSION]
    index.pending = loaded
    if isinstance(index, SqliteIndex):
        _rebuild(app, index)


def _rebuild(app, index):
    loaded, index.pending = index.pending, None
    index.rebuild(list(catalogue_documents(loaded, app.config["LANGUAGES"])), content_version(loaded))


def search(app, query, lang):
    """The hits for `query` among the documents in `lang`, best first."""
    index = app.extensions[EXTENSION]
    if index.pending is not None:
        _rebuild(app, index)
    return index.search(query, lang)
