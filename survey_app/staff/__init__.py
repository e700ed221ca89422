"""The staff area under /staff/: accounts, roles, the audit log, and the tools built on them."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Every staff page, on the one ``staff`` blueprint."""
    from . import (  # noqa: F401 (each adds routes to bp)
        routes,
        routes_dashboard,
        routes_exports,
        routes_reports,
    )
    from .channels import routes as channel_routes  # noqa: F401
    from .panels import routes as panel_routes  # noqa: F401
    from .review import routes as review_routes  # noqa: F401

    app.register_blueprint(routes.bp)
