"""Response headers that keep respondents' pages private and self-contained.

No page loads anything from another origin, and respondent pages are never cached, so the
browser's Back button after a quick exit cannot show someone's answers.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from werkzeug.serving import WSGIRequestHandler

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def init_app(app: Flask) -> None:
    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response


class AnonymousRequestHandler(WSGIRequestHandler):
    """The development server's request log without the client's address or the time: a log line
    with the moment of a submission could be matched to a person seen using a phone. Only server
    errors are logged, by method and path without the query string: a line for every request
    would write down each respondent's way through a survey, and a query string can hold a
    distribution link's key."""

    def address_string(self) -> str:
        return "-"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if str(code).startswith("5"):
            path = getattr(self, "path", "").partition("?")[0]
            self.log("error", "%s %s %s", getattr(self, "command", "-"), path, code)

    def log(self, type: str, message: str, *args) -> None:
        level = {"info": logging.INFO, "warning": logging.WARNING}.get(type, logging.ERROR)
        logging.getLogger("werkzeug").log(level, message, *args)


def local_path(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default`: a "next" parameter never leads away."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return default
