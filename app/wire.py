"""Bytes on the wire: text responses compressed (zstd, brotli or gzip, by Flask-Compress) and static files named by
their content hash (`?v=`), so browsers keep them for a year without asking again."""
import hashlib
import os

from flask import current_app, request, url_for
from flask_compress import Compress

#: what is compressed: pages, styles, scripts and data; never media, PDFs, archives or spreadsheets
COMPRESSED_TYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                    "application/ld+json", "application/did+ld+json", "application/manifest+json", "text/plain",
                    "image/svg+xml"]
#: a hashed static URL names one content for ever
IMMUTABLE = "public, max-age=31536000, immutable"
#: a file sent from disk is read into memory to be compressed only up to this size
MAX_BUFFERED = 1024 * 1024


def init_app(app):
    """Call first in create_app: the hook registered first runs last, after every other one changed the response."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["zstd", "br", "gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)  # a streamed export stays streamed, byte for byte
    app.config["COMPRESS_REGISTER"] = False  # called by _finish below, which knows what must stay untouched
    app.extensions["soglia.compress"] = Compress(app)
    app.extensions["soglia.static_hashes"] = {}
    app.after_request(_finish)
    app.add_template_global(static_url)


def _static_folder(app, endpoint):
    if endpoint == "static":
        return app.static_folder
    blueprint = app.blueprints.get(endpoint[:-len(".static")]) if endpoint.endswith(".static") else None
    return blueprint.static_folder if blueprint is not None else None


def static_hash(app, endpoint, filename):
    """The first 10 hex digits of a static file's SHA-256 (read once per process); None if there is no such file."""
    hashes = app.extensions["soglia.static_hashes"]
    key = (endpoint, filename)
    if key not in hashes:
        folder, found = _static_folder(app, endpoint), None
        if folder and filename:
            path = os.path.realpath(os.path.join(folder, filename))
            if path.startswith(os.path.realpath(folder) + os.sep) and os.path.isfile(path):
                with open(path, "rb") as handle:
                    found = hashlib.sha256(handle.read()).hexdigest()[:10]
        hashes[key] = found
    return hashes[key]


def static_url(filename, endpoint="static"):
    """The URL of a static file named by its content (`?v=<hash>`), which browsers keep for a year."""
    return url_for(endpoint, filename=filename, v=static_hash(current_app, endpoint, filename))


def _finish(response):
    asked = request._get_current_object()  # type: ignore[attr-defined]
    app, version = current_app, asked.query_string and asked.args.get("v")
    if (version and response.status_code == 200 and asked.endpoint and asked.endpoint.endswith("static")
            and version == static_hash(app, asked.endpoint, (asked.view_args or {}).get("filename"))):
        response.headers["Cache-Control"] = IMMUTABLE
    if response.status_code == 206 or response.mimetype not in app.config["COMPRESS_MIMETYPES"]:
        return response
    if response.direct_passthrough and (response.content_length or MAX_BUFFERED + 1) <= MAX_BUFFERED:
        response.direct_passthrough = False  # a small file from disk: read, so it can be compressed whole
        response.make_sequence()
    response = app.extensions["soglia.compress"].after_request(response)
    if "Content-Encoding" in response.headers:
        response.headers.pop("Accept-Ranges", None)  # byte ranges are offered on the uncompressed file only
    return response
