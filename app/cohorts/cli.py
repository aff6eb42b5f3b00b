"""`flask cohorts recount [--check]`: the programme report's day counts, counted again from the learning records."""
import sys

import click
from flask.cli import AppGroup

from ..extensions import db
from . import tallies

cohorts_cli = AppGroup("cohorts", help="The programme report's counts.")


@cohorts_cli.command("recount")
@click.option("--check", is_flag=True, help="Only compare the stored counts with a fresh count; exit 1 if they differ.")
def recount_command(check):
    """Count every learner-course place again and store the counts (with --check: only compare them)."""
    found = tallies.check(db.session()) if check else tallies.rebuild(db.session())
    if not check:
        db.session.commit()
    click.echo(f"{found.places} learner-course places; stored before: {found.wrong_places} places and "
               f"{found.wrong_counts} day counts differed from a fresh count" + ("" if check else "; now rebuilt"))
    sys.exit(1 if check and not found.exact else 0)
