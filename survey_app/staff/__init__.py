"""The staff area under /staff/: accounts, roles, the audit log, and the tools built on them."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Sign-in and every staff page, on the one ``staff`` blueprint."""
    from . import access, routes

    access.init_app(app)
    app.register_blueprint(routes.bp)
