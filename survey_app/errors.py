"""Every error a person can meet is a plain page with a clear message and a 4xx/5xx status."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: lambda: _("Something in what was sent could not be understood. Go back and try again."),
    403: lambda: _("Your account does not give you access to this page."),
    404: lambda: _("There is nothing at this address. Check the link, or go to the list of surveys."),
    405: lambda: _("This page cannot be used that way. Go back and try again."),
    429: lambda: _("Too many attempts. Wait a few minutes and try again."),
    413: lambda: _("What you sent is too large. Shorten your answers and try again."),
    500: lambda: _("Something went wrong on our side. Your answers so far are safe; try again in a minute."),
}


def _page(status: int, message: str):
    if request.path == "/healthz" or request.accept_mimetypes.best == "application/json":
        return jsonify(error=message), status
    return render_template("error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return _page(
            400, _("This page was open too long or was sent twice. Go back, reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        default = error.__class__.description
        status = error.code or 500
        # A rate limit's description is the limit itself ("5 per 1 minute"): say what to do instead.
        message = error.description if error.description != default and status != 429 else None
        return _page(status, message or MESSAGES.get(status, MESSAGES[400])())

    @app.errorhandler(InternalServerError)
    def server_error(_error):
        return _page(500, MESSAGES[500]())
