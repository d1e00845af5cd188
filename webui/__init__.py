"""The Flask web UI: an application factory wiring blueprints to the kb services."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from kb.config import DEFAULT_SECRET_KEY, Settings
from kb.context import KbContext
from kb.errors import ConfigError
from kb.indexing import ensure_index
from webui.background import BackgroundTasks

csrf = CSRFProtect()


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app for one instance; tests pass `Settings` built on a temporary folder."""
    settings = settings or Settings.from_env()
    if settings.production and settings.secret_key == DEFAULT_SECRET_KEY:
        raise ConfigError("KB_SECRET_KEY doit être défini en production (clé par défaut refusée)")
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_file_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=8),
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        RATELIMIT_HEADERS_ENABLED=True,
    )
    kb_ctx = KbContext.open(settings)
    ensure_index(kb_ctx)
    app.extensions["kb"] = kb_ctx
    csrf.init_app(app)

    app.extensions["kb_tasks"] = BackgroundTasks()
    register_features(app)
    return app


def register_features(app: Flask) -> None:
    """Wire every blueprint and helper module into the app."""
    from webui import (
        admin,
        api,
        auth,
        catalogues,
        documents,
        errors,
        filters,
        search,
        security,
        sheets,
        taxonomy,
        upload,
        workflow,
    )

    security.init_app(app)
    errors.init_app(app)
    filters.init_app(app)
    auth.limiter.init_app(app)
    for blueprint in (search.bp, documents.bp, auth.bp, admin.bp, upload.bp, taxonomy.bp,
                      api.bp):
        app.register_blueprint(blueprint)
    sheets.init_app(app)  # experience sheets (issue 9)
    workflow.init_app(app)  # doctrine validation and labels (issue 8)
    catalogues.init_app(app)  # trainers' catalogues (issue 9)
