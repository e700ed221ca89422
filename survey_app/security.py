"""Response headers that keep respondents' pages private and self-contained.

No page loads anything from another origin, and respondent pages are never cached, so the
browser's Back button after a quick exit cannot show someone's answers.
"""

from __future__ import annotations

import logging
import unicodedata
from urllib.parse import unquote, urlsplit

from flask import Flask, Response, abort, request
from werkzeug.routing import IntegerConverter, Map
from werkzeug.serving import WSGIRequestHandler

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul() -> None:
        """No browser sends a NUL character, and PostgreSQL text cannot hold one: refuse it at the edge
        (400) rather than fail in the database (500)."""
        sent = [request.path, *(part for pair in request.args.items(multi=True) for part in pair)]
        if request.method == "POST":
            sent += [part for pair in request.form.items(multi=True) for part in pair]
        if any("\x00" in text for text in sent):
            abort(400)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        if app.config["PUBLIC_URL"].startswith("https://"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response


class DatabaseId(IntegerConverter):
    """`<int:...>` in every route: only numbers a database integer column can hold (up to 2^31 - 1),
    so an id too large for SQLite or PostgreSQL is a 404, not a database error."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = 2**31 - 1,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


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


#: Longer "next" values are no page of ours.
MAX_NEXT_LENGTH = 2000


def local_path(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default`: a "next" parameter never leads away.

    The one rule for every "next": a path that starts with a single "/", with no backslash (browsers
    read "/\\host" as "//host"), no control character (browsers drop a tab or line break inside a
    URL, so slash, tab, slash, host leads to the host; in a header a line break is refused) and no
    scheme or host, checked again after each round of percent-decoding.
    """
    if not target or len(target) > MAX_NEXT_LENGTH:
        return default
    seen = target
    for _ in range(3):
        if not _plain_local(seen):
            return default
        decoded = unquote(seen)
        if decoded == seen:
            return target
        seen = decoded
    return default


def _plain_local(path: str) -> bool:
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return False
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in path):
        return False
    parts = urlsplit(path)
    return not (parts.scheme or parts.netloc)
