"""The staff area under /staff/: accounts, roles, the audit log, and the tools built on them."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Every staff page, on the one ``staff`` blueprint."""
    # Each area's routes module adds its pages to the one blueprint.
    from . import routes
    from .channels import routes as channel_routes  # noqa: F401
    from .dashboard import routes as dashboard_routes  # noqa: F401
    from .exports import routes as export_routes  # noqa: F401
    from .panels import routes as panel_routes  # noqa: F401
    from .reports import routes as report_routes  # noqa: F401
    from .review import routes as review_routes  # noqa: F401

    app.register_blueprint(routes.bp)
