"""Soglia: an e-learning platform for the people who help migrants into work and business."""
import os

from inspect import iscoroutinefunction

from flask import Flask

from . import config as config_module


class Soglia(Flask):
    """Flask, asking once per function (not on every call of every hook) whether it is a coroutine."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plain_functions: set = set()

    def ensure_sync(self, func):
        try:
            if func in self._plain_functions:
                return func
        except TypeError:  # not hashable: asked every time
            return super().ensure_sync(func)
        if iscoroutinefunction(func):
            return super().ensure_sync(func)
        self._plain_functions.add(func)
        return func


def create_app(test_config=None):
    """Build the app: configuration, extensions, blueprints, error pages, commands."""
    #: the instance folder (secret key, signing keys, caches): SOGLIA_INSTANCE_PATH, or instance/ beside the code
    instance_path = (test_config or {}).get("INSTANCE_PATH") or (
        os.environ.get("SOGLIA_INSTANCE_PATH") if test_config is None else None)
    app = Soglia(__name__, instance_relative_config=True, instance_path=instance_path)
    from . import wire
    from .uploads import UploadAwareRequest

    app.request_class = UploadAwareRequest
    from .cookiesession import SessionInterface

    app.session_interface = SessionInterface()
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_object(config_module.DefaultConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(config_module.env_overrides())
    else:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.load_or_create_secret_key(app.instance_path)
    from .certificates.issuer import ensure_signing_key

    ensure_signing_key(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.database_uri(app.config, app.instance_path)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # a server may drop idle connections; a file database cannot
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {}).setdefault("pool_pre_ping", True)
    if app.config["COURSES_AUTO_RELOAD"] is None:
        app.config["COURSES_AUTO_RELOAD"] = app.debug
    if app.config.get("SESSION_COOKIE_SECURE"):
        app.config["REMEMBER_COOKIE_SECURE"] = True

    wire.init_app(app)  # first: its compression runs after every other hook
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    from .input import register_input_cleaning

    register_input_cleaning(app)
    register_extensions(app)
    from .security import register_login_gate, register_security_headers

    register_login_gate(app)
    register_blueprints(app)
    from .errors import register_error_handlers

    register_error_handlers(app)
    register_security_headers(app)
    from .cli import register_commands

    register_commands(app)
    return app


def register_extensions(app):
    from . import catalog, i18n, ratelimit
    from .database import configure_database
    from .extensions import babel, csrf, db, login_manager, migrate
    from .calls import models as _call_models  # noqa: F401
    from .cohorts import models as _cohort_models  # noqa: F401  (domain tables join the metadata)
    from .organisations import models as _organisation_models  # noqa: F401
    from .workbook import models as _workbook_models  # noqa: F401

    db.init_app(app)
    configure_database(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    ratelimit.init_app(app)
    login_manager.init_app(app)
    from .auth.loader import init_login

    init_login(login_manager)
    from . import jobs
    from .certificates import background as certificate_pdfs

    jobs.init_app(app)
    certificate_pdfs.init_app(app)
    from .authoring import sync as courses_sync

    courses_sync.init_app(app)  # a clone of the courses remote, up to date, before the courses load
    catalog.init_app(app)


def register_blueprints(app):
    from .admin.routes import bp as admin_bp
    from .authoring.media_routes import bp as authoring_media_bp
    from .authoring.routes import bp as authoring_bp
    from .authoring.structure_routes import bp as authoring_structure_bp
    from .authoring.translation_routes import bp as authoring_translations_bp
    from .auth.routes import bp as auth_bp
    from .calls.routes import bp as calls_bp
    from .certificates.routes import bp as certificates_bp
    from .cohorts.routes import bp as cohorts_bp
    from .cohorts.routes import join_bp
    from .competences.routes import bp as competences_bp
    from .learn.routes import bp as learn_bp
    from .main.routes import bp as main_bp
    from .offline.routes import bp as offline_bp
    from .organisations.routes import bp as organisations_bp
    from .privacy.registry import discover
    from .privacy.routes import bp as privacy_bp
    from .quiz.routes import bp as quiz_bp
    from .search import operations as search
    from .search.routes import bp as search_bp
    from .trainer.routes import bp as trainer_bp
    from .workbook.review_routes import bp as review_bp
    from .workbook.routes import bp as workbook_bp

    for blueprint in (main_bp, auth_bp, learn_bp, quiz_bp, certificates_bp, competences_bp, trainer_bp, admin_bp,
                      search_bp, privacy_bp, cohorts_bp, join_bp, organisations_bp, workbook_bp, review_bp, calls_bp,
                      authoring_bp, authoring_structure_bp, authoring_media_bp, authoring_translations_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(offline_bp)
    search.init_app(app)
    discover()
