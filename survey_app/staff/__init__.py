"""The staff area under /staff/: accounts, roles, the audit log, and the tools built on them."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Every staff page, on the one ``staff`` blueprint."""
    from . import (  # noqa: F401 (each adds routes to bp)
        routes,
        routes_channels,
        routes_dashboard,
        routes_exports,
        routes_panels,
        routes_reports,
        routes_review,
    )

    app.register_blueprint(routes.bp)
