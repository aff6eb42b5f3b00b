"""`flask offline sizes`: what keeping each course and path on a phone costs, in every language."""
import click
from flask.cli import with_appcontext
from flask import current_app
from flask_babel import force_locale

from ..catalog import get_catalog
from .manifest import course_manifest, human_size, path_bytes


@click.command("sizes")
@with_appcontext
def sizes_command():
    """Print the download size of every course and path in each language (pages, images, audio)."""
    catalog = get_catalog()
    languages = current_app.config["LANGUAGES"]
    with current_app.test_request_context("/"), force_locale("en"):
        click.echo("\t".join(["course or path", *languages]))
        for course in catalog.courses.values():
            sizes = [human_size(course_manifest(course, lang).total_bytes) + ("" if lang in course.texts else "*")
                     for lang in languages]
            click.echo("\t".join([course.slug, *sizes]))
        for path in catalog.paths:
            click.echo("\t".join([f"path {path.slug}",
                                  *(human_size(path_bytes(path, catalog.courses, lang)) for lang in languages)]))
    click.echo("* not translated: the course's own language is kept instead", err=True)
