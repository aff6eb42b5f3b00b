"""Certificates: my certificates, the HTML and PDF views, public verification."""
