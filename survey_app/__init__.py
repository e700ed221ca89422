"""Community Insight: anonymous, multilingual community-safety surveys."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, url_for
from flask_wtf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from . import bidi, config, db, errors, i18n, security
from .limits import limiter

csrf = CSRFProtect()


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(config.PROJECT_ROOT / "instance"))
    app.config.from_mapping(config.from_environment(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)
    app.url_map.converters["int"] = security.DatabaseId
    if app.config["TRUSTED_PROXY_HOPS"] > 0:
        # The client's address and scheme as the trusted proxies saw them; the rate limiter keys on it.
        hops = app.config["TRUSTED_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)
    db.init_app(app)
    i18n.init_app(app)
    bidi.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from . import access, staff, taking
    from .panels.routes import bp as panel_bp
    from .public.routes import bp as public_bp

    access.init_app(app)
    app.register_blueprint(public_bp)
    taking.register(app)
    app.register_blueprint(panel_bp)
    staff.register(app)
    # A cross-site page could at worst clear a draft, and SameSite cookies stop even that.
    csrf.exempt("survey_app.taking.routes.quick_exit")
    # Sent from a device's queue, perhaps days after its page (and its session) was loaded. Only
    # JSON is taken, which a cross-site form cannot send, and it can only add one more response.
    csrf.exempt("survey_app.taking.routes_offline.receive_queued")
    app.jinja_env.globals.update(quick_exit_url=app.config["QUICK_EXIT_URL"], asset_url=_asset_url(app))
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    return app


def _asset_url(app: Flask):
    """Static URLs carry a content hash, so browsers can cache them for a year and still update."""
    versions: dict[str, str] = {}

    def asset_url(filename: str) -> str:
        if filename not in versions:
            content = Path(app.static_folder, filename).read_bytes()
            versions[filename] = hashlib.sha256(content).hexdigest()[:10]
        return url_for("static", filename=filename, v=versions[filename])

    return asset_url
