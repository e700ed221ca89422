"""The staff area under /staff/: accounts, roles, the audit log, and the tools built on them."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Sign-in and every staff page, on the one ``staff`` blueprint."""
    from . import (  # noqa: F401 (each adds routes to bp)
        access,
        routes,
        routes_channels,
        routes_dashboard,
        routes_exports,
        routes_review,
    )

    access.init_app(app)
    app.register_blueprint(routes.bp)
