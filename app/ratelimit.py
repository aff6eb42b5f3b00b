"""Rate limits where they are declared, and no limiter work anywhere else.

Flask-Limiter runs its before, after and teardown hooks on every request. The limits of this app are all on
decorated views (the decorator checks its own view), so while no application, default or blueprint limit is
configured the hooks run only for those views' endpoints: other pages never reach the limiter or its storage.
"""
from flask import Flask, request
from flask_limiter.util import get_qualified_name

from .extensions import limiter


def init_app(app: Flask) -> None:
    limiter.init_app(app)
    check, inject, release = (app.before_request_funcs[None][-1], app.after_request_funcs[None][-1],
                              app.teardown_request_funcs[None][-1])
    assert check == limiter._check_request_limit, "the limiter's hooks are the last ones registered"
    limited: dict[str | None, bool] = {}  # endpoint: has a limit; filled as endpoints are first asked for

    def is_limited() -> bool:
        endpoint = request.endpoint
        if endpoint not in limited:
            limited[endpoint] = _limits_apply(app, endpoint)
        return limited[endpoint]

    def check_if_limited():
        return check() if is_limited() else None

    def inject_if_limited(response):
        return inject(response) if is_limited() else response

    def release_if_limited(error=None):
        if is_limited():
            release(error)

    app.before_request_funcs[None][-1] = check_if_limited
    app.after_request_funcs[None][-1] = inject_if_limited
    app.teardown_request_funcs[None][-1] = release_if_limited


def _limits_apply(app: Flask, endpoint: str | None) -> bool:
    """True if a limit may apply to `endpoint`: its view is decorated, or some limit covers every route."""
    manager = limiter.limit_manager
    if manager.application_limits or manager.default_limits or any(
            manager.blueprint_limits(app, name) for name in app.blueprints):
        return True
    view = app.view_functions.get(endpoint or "")
    return view is not None and (get_qualified_name(view) in limiter._marked_for_limiting
                                 or manager.has_hints(endpoint or ""))
