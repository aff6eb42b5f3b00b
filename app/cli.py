"""Command-line tools: `flask courses check|list|reload|build`, `flask users create-admin`,
`flask privacy retention|export|erase`, `flask certificates keys|rotate-key`, `flask cohorts recount`."""
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from . import catalog as catalog_module
from .content.loader import load_catalog
from .extensions import db
from .services import accounts

courses_cli = AppGroup("courses", help="Check, list and reload the course files.")
users_cli = AppGroup("users", help="Manage user accounts.")
privacy_cli = AppGroup("privacy", help="Retention of personal data.")


def counted(number, noun):
    """`1 error`, `2 errors`, `0 errors`."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


@courses_cli.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--word-budget", type=click.IntRange(min=1), default=None,
              help="Warn about lessons with more words (default: LESSON_WORD_BUDGET, 1500).")
def check_command(directory, word_budget):
    """Print every problem once, as `path:line: error|warning: message`, then a summary; exit 1 on any error.

    Problems go to standard output, the summary to standard error.
    """
    target = directory or Path(current_app.config["COURSES_DIR"])
    budget = word_budget or current_app.config["LESSON_WORD_BUDGET"]
    if (target / "course.md").is_file():
        found = load_catalog(target.parent, only=target, relative_to=Path.cwd(), word_budget=budget)
    else:
        found = load_catalog(target, relative_to=Path.cwd(), word_budget=budget)
    for problem in found.problems:
        click.echo(str(problem))
    errors = len(found.errors)
    warnings = len(found.problems) - errors
    click.echo(f"{counted(len(found.courses), 'course')} loaded, {counted(errors, 'error')}, "
               f"{counted(warnings, 'warning')}", err=True)
    if directory is None:
        live = catalog_module.get_catalog()
        for slug, version in live.held_back.items():
            click.echo(f"{slug}: learners still get its last good version {version[:12]} until the errors are fixed",
                       err=True)
        for slug in live.unpublished:
            click.echo(f"{slug}: a new course with errors, not published until they are fixed", err=True)
    sys.exit(1 if errors else 0)


@courses_cli.command("list")
def list_command():
    """Print the catalogue: courses with their modules, lessons, quizzes and languages."""
    found = catalog_module.get_catalog()
    for course in found.courses.values():
        title = course.texts[course.language].title
        click.echo(f"{course.slug}  {title}  [{', '.join(course.languages)}]  audience={course.audience}  "
                   f"modules={len(course.modules)} lessons={len(course.lessons)} quizzes={len(course.quizzes)}  "
                   f"certificate={'yes' if course.certificate else 'no'}  version={course.version}")
    for path in found.paths:
        click.echo(f"path {path.slug}: {' -> '.join(path.course_slugs)}")


@courses_cli.command("reload")
def reload_command():
    """Tell running servers (every worker) to reload the course files on their next request."""
    catalog_module.request_reload(current_app)
    click.echo("Running servers will reload the courses on their next request.")


@courses_cli.command("build")
def build_command():
    """Render every changed course into the content cache (instance/content-cache), so servers start from it."""
    import time

    started = time.perf_counter()
    found = catalog_module.reload(current_app)
    click.echo(f"{counted(len(found.courses), 'course')} ready in {catalog_module.cache_dir(current_app)} "
               f"({time.perf_counter() - started:.1f} s)")
    sys.exit(1 if found.errors else 0)


@users_cli.command("create-admin")
@click.option("--username", prompt=True)
@click.option("--name", "display_name", prompt="Name (as on certificates)")
@click.option("--email", default="", help="Optional email address.")
@click.password_option()
def create_admin_command(username, display_name, email, password):
    """Create an administrator account."""
    try:
        user = accounts.create_user(username=username, display_name=display_name, password=password,
                                    email=email or None, role="admin", track="operator",
                                    hash_method=current_app.config["PASSWORD_HASH_METHOD"])
    except (accounts.UsernameTaken, accounts.EmailTaken) as exc:
        raise click.ClickException(f"{exc.__class__.__name__}: {exc}") from None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Admin {user.username!r} created.")


@privacy_cli.command("retention")
@click.option("--months", type=int, default=None, help="Inactivity allowed (default: RETENTION_INACTIVE_MONTHS).")
@click.option("--dry-run", is_flag=True, help="Only list the accounts concerned.")
def retention_command(months, dry_run):
    """Anonymise learner accounts not used for N months, and drop expired login sessions. Run daily from cron."""
    from .auth import sessions
    from .privacy import operations

    months = current_app.config["RETENTION_INACTIVE_MONTHS"] if months is None else months
    if not months:
        click.echo("Retention is off (RETENTION_INACTIVE_MONTHS = 0).")
        return
    found = operations.apply_retention(months, dry_run=dry_run)
    expired = 0 if dry_run else sessions.purge_expired()
    db.session.commit()
    verb = "would be anonymised" if dry_run else "anonymised"
    for user in found:
        click.echo(f"{user.id}: {verb}")
    click.echo(f"{len(found)} account(s) inactive for {months} months {verb}; {expired} expired session(s) removed.")


def _account(username):
    found = accounts.find_user(username)
    if found is None:
        raise click.ClickException(f"no active account {username!r}")
    return found


@privacy_cli.command("export")
@click.argument("username")
def export_command(username):
    """Print everything Soglia holds about one account as JSON (for a request made on paper or by phone)."""
    import json

    from .privacy import operations

    click.echo(json.dumps(operations.export_data(_account(username)), ensure_ascii=False, indent=2))


@privacy_cli.command("erase")
@click.argument("username")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(username, yes):
    """Delete one account as if its owner did (anonymised; certificates revoked), at the person's request."""
    from .privacy import operations

    user = _account(username)
    if not yes:
        click.confirm(f"Erase the account {user.username!r} ({user.display_name})?", abort=True)
    operations.delete_account(user)
    db.session.commit()
    click.echo(f"Account {username!r} erased.")


def register_commands(app):
    from .certificates.cli import certificates_cli
    from .cohorts.cli import cohorts_cli

    app.cli.add_command(certificates_cli)
    app.cli.add_command(cohorts_cli)
    app.cli.add_command(courses_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(privacy_cli)
