"""The application factory: one app per instance, its blueprints and shared helpers wired."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from kb.config import DEFAULT_SECRET_KEY, Settings
from kb.errors import ConfigError
from kb.indexing.sync import ensure_index
from kb.instance import open_instance
from webui.accounts import admin, auth, tokens
from webui.api import blueprint as api
from webui.api import directory as api_directory  # noqa: F401  (its views join the API)
from webui.api import docs as api_docs  # noqa: F401  (its views join the API blueprint)
from webui.api import health
from webui.api import search as api_search  # noqa: F401  (as above)
from webui.catalogues import blueprints as catalogues
from webui.common import errors, filters, security
from webui.common.background import BackgroundTasks
from webui.common.navigation import MEMBERS, PRIMARY, register_nav
from webui.common.panels import register_home_section, register_panel
from webui.documents import pages as documents
from webui.documents import upload
from webui.people import blueprints as people
from webui.search import pages as search
from webui.search import portal
from webui.sheets import blueprints as sheets
from webui.taxonomy import pages as taxonomy
from webui.workflow import blueprints as workflow

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
    )
    if settings.trusted_proxies:
        # The client's address, scheme and host as the reverse proxies in front report them.
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    kb_ctx = open_instance(settings)
    ensure_index(kb_ctx)
    app.extensions["kb"] = kb_ctx
    csrf.init_app(app)
    app.extensions["kb_tasks"] = BackgroundTasks()
    register_features(app)
    return app


def register_features(app: Flask) -> None:
    """Wire every blueprint, panel, menu link and helper into the app."""
    security.init_app(app)
    errors.init_app(app)
    filters.init_app(app)
    auth.init_app(app)
    for blueprint in (search.bp, documents.bp, admin.bp, upload.bp, taxonomy.bp, api.bp,
                      health.bp, tokens.bp):
        app.register_blueprint(blueprint)
    register_panel(app, "partials/document_tags.html", taxonomy.tags_panel, order=10)
    register_panel(app, "partials/search_similar.html", search.similar_panel, order=80)
    register_home_section(app, "home/kinds.html", portal.kinds_section, order=10)
    register_home_section(app, "home/themes.html", portal.themes_section, order=90)
    register_nav(app, "search.results", "Rechercher", order=10, menu=PRIMARY)
    register_nav(app, "taxonomy.tree", "Thèmes", order=20, menu=PRIMARY,
                 current_for=("taxonomy.concept",))
    register_nav(app, "upload.upload", "Déposer des documents", {MEMBERS}, order=10)
    register_nav(app, "taxonomy.candidates", "Concepts candidats", {"collectif"}, order=60)
    register_nav(app, "admin.users", "Comptes", {"admin"}, order=80)
    register_nav(app, "auth.account", "Mon compte", {MEMBERS}, order=90)
    sheets.init_app(app)
    workflow.init_app(app)
    catalogues.init_app(app)
    people.init_app(app)
