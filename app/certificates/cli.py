"""`flask certificates keys|rotate-key`: the issuer's signing keys."""
import click
from flask import current_app
from flask.cli import AppGroup

from . import dataintegrity, issuer

certificates_cli = AppGroup("certificates", help="The issuer's signing keys.")


@certificates_cli.command("keys")
def keys_command():
    """List the published keys, oldest first; the last one signs new credentials."""
    for key in issuer.load_keys():
        click.echo(dataintegrity.public_key_multibase(key.public_key()))
    if current_app.config.get("PUBLIC_BASE_URL"):
        click.echo(f"DID: {issuer.issuer_did()}", err=True)


@certificates_cli.command("rotate-key")
def rotate_key_command():
    """Make a new signing key; the old ones stay published, so credentials signed with them still verify."""
    click.echo(f"New signing key: {issuer.rotate_signing_key()}")
