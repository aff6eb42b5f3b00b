"""Upload size per view: MAX_CONTENT_LENGTH stays small, and a view may allow more with @allow_upload."""
from flask import Request, current_app


def allow_upload(max_bytes):
    """Let this view receive up to `max_bytes` (checked before any form is read, CSRF included)."""

    def decorator(view):
        view.max_upload_bytes = max_bytes
        return view

    return decorator


class UploadAwareRequest(Request):
    @property  # type: ignore[misc]
    def max_content_length(self) -> int | None:  # type: ignore[override]
        view = current_app.view_functions.get(self.endpoint) if self.endpoint else None
        allowed = getattr(view, "max_upload_bytes", None)
        return allowed if allowed is not None else current_app.config["MAX_CONTENT_LENGTH"]
