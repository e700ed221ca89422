"""Taking a survey: anonymous, server-rendered, one page per section."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Every respondent page, on the one ``taking`` blueprint."""
    from . import routes, routes_devices, routes_offline  # noqa: F401 (they add routes to bp)

    app.register_blueprint(routes.bp)
