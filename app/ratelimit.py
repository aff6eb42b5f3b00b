"""Rate limits where they are declared, and no limiter work anywhere else.

Flask-Limiter runs its before, after and teardown hooks on every request. The limits of this app are all on
decorated views, and the decorator checks its own view. So while no application, default, meta or blueprint
limit is configured, the before hook (which would find nothing to check) does not run, and the after and
teardown hooks (rate-limit headers, deductions on failure) run only for decorated views: other pages never
reach the limiter or its storage.
"""
from flask import Flask, request
from flask_limiter.util import get_qualified_name

from .extensions import limiter


def init_app(app: Flask) -> None:
    # on by default for every app: the limiter is one object, and would otherwise keep the last app's choice
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    if not app.config["RATELIMIT_ENABLED"]:
        return  # a disabled limiter registers no hooks at all
    check, inject, release = (app.before_request_funcs[None][-1], app.after_request_funcs[None][-1],
                              app.teardown_request_funcs[None][-1])
    assert check == limiter._check_request_limit, "the limiter's hooks are the last ones registered"
    decorated: dict[str | None, bool] = {}  # endpoint: its view is limited; filled as endpoints are first asked for
    every_route: list[bool] = []  # known at the first request, when every blueprint is registered

    def covers_every_route() -> bool:
        if not every_route:
            every_route.append(_limits_cover_every_route(app))
        return every_route[0]

    def is_limited() -> bool:
        endpoint = request.endpoint
        if endpoint not in decorated:
            decorated[endpoint] = _view_is_limited(app, endpoint)
        return decorated[endpoint] or covers_every_route()

    def check_if_needed():
        return check() if covers_every_route() else None

    def inject_if_limited(response):
        return inject(response) if is_limited() else response

    def release_if_limited(error=None):
        if is_limited():
            release(error)

    app.before_request_funcs[None][-1] = check_if_needed
    app.after_request_funcs[None][-1] = inject_if_limited
    app.teardown_request_funcs[None][-1] = release_if_limited


def _limits_cover_every_route(app: Flask) -> bool:
    manager = limiter.limit_manager
    return bool(manager.application_limits or manager.default_limits or limiter._meta_limits
                or any(manager.blueprint_limits(app, name) for name in app.blueprints))


def _view_is_limited(app: Flask, endpoint: str | None) -> bool:
    view = app.view_functions.get(endpoint or "")
    return view is not None and (get_qualified_name(view) in limiter._marked_for_limiting
                                 or limiter.limit_manager.has_hints(endpoint or ""))
