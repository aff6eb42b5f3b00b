"""Privacy providers, one per domain (like Moodle's Privacy API): how a user's rows are exported and erased.

A domain registers its provider in a module `app/<domain>/privacy.py`, found by `discover()`:

    from ..privacy.registry import Provider, register, rows_of

    register(Provider(
        name="cohorts", title=_l("Groups"), tables=("cohort_members",),
        export=lambda user_id: rows_of(CohortMember, CohortMember.user_id == user_id),
        erase=lambda user: delete_rows(CohortMember, CohortMember.user_id == user.id),
    ))

`tests/privacy/test_registry.py` fails for any table with a column referring to `users` that no provider names.
Erasing must leave no name, username, email or answer of the user in any row; rows may stay (anonymous) when
counts need them.
"""
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, inspect, select

from ..extensions import db

PROVIDERS: dict[str, "Provider"] = {}


@dataclass(frozen=True)
class Provider:
    #: the key of this section in the export
    name: str
    #: the section heading on the readable export (a lazy translation)
    title: object
    #: every table whose rows about a user this provider exports and erases
    tables: tuple
    #: user id -> JSON-able data (a list of row dicts, or a dict)
    export: Callable
    #: user -> None: delete or anonymise the user's rows (flush only; the caller commits)
    erase: Callable
    #: erasing runs in ascending order; the account itself goes last
    order: int = field(default=50)


def register(provider):
    PROVIDERS[provider.name] = provider
    return provider


def providers():
    return sorted(PROVIDERS.values(), key=lambda p: (p.order, p.name))


def covered_tables():
    return {table for provider in PROVIDERS.values() for table in provider.tables}


def discover():
    """Import every `app.<package>.privacy` module, so each domain's provider is registered."""
    import app

    for module in pkgutil.iter_modules(app.__path__):
        if module.ispkg:
            try:
                importlib.import_module(f"app.{module.name}.privacy")
            except ModuleNotFoundError as missing:
                if missing.name != f"app.{module.name}.privacy":
                    raise


def jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def rows_of(model, *conditions, exclude=(), order_by=None):
    """The model's rows matching `conditions`, as dicts of column values (without `exclude`d columns)."""
    columns = [c for c in inspect(model).columns if c.key not in exclude]
    query = select(model).where(*conditions).order_by(order_by if order_by is not None else model.id)
    return [{c.key: jsonable(getattr(row, c.key)) for c in columns} for row in db.session.scalars(query)]


def delete_rows(model, *conditions):
    db.session.execute(delete(model).where(*conditions))
