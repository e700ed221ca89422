"""Whether a configuration is safe to serve the public: the checks `insight doctor` prints, and the
subset that stops `wsgi.py` (what gunicorn loads) from starting at all.

The development server (`make run`, `insight serve`) runs no checks, so it needs no configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from survey_app.db import db_session
from survey_app.i18n import available_languages
from survey_app.migrate import database_revisions
from survey_app.responses.waiting import unreadable_count

MIN_SECRET_KEY_LENGTH = 32
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
MAKE_KEY = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


@dataclass(frozen=True)
class Check:
    """One thing checked: what was found, and when it is a problem, what to do about it."""

    name: str
    ok: bool
    message: str
    #: a problem that stops the production start-up, not only `insight doctor`
    fatal: bool = False

    def __str__(self) -> str:
        return f"{'ok     ' if self.ok else 'PROBLEM'}  {self.name}: {self.message}"


class UnsafeConfiguration(RuntimeError):
    """The app refuses to serve the public with this configuration; the message lists what to fix."""


def _secret_key(app: Flask) -> Check:
    key = app.config["SECRET_KEY"]
    if not app.config.get("SECRET_KEY_FROM_ENVIRONMENT"):
        return Check(
            "secret key",
            False,
            "SECRET_KEY is not set, so each machine makes its own key in "
            f"instance/secret_key; set SECRET_KEY, the same on every worker: {MAKE_KEY}",
            fatal=True,
        )
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return Check(
            "secret key",
            False,
            f"SECRET_KEY has {len(key)} characters; use a random one of at "
            f"least {MIN_SECRET_KEY_LENGTH}: {MAKE_KEY}",
            fatal=True,
        )
    return Check("secret key", True, "set in the environment")


def _public_url(app: Flask) -> Check:
    url = app.config["PUBLIC_URL"]
    if not url:
        return Check(
            "public address",
            False,
            "PUBLIC_URL is not set, so links, QR posters and panel "
            "invitations would follow whatever Host header a request sends; set it to the "
            "address respondents use, such as https://insight.example.org",
            fatal=True,
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        return Check(
            "public address",
            False,
            f"PUBLIC_URL={url!r} is not an address like "
            "https://insight.example.org (a scheme and a host, nothing after them)",
            fatal=True,
        )
    if parts.scheme != "https" and parts.hostname not in LOOPBACK:
        return Check(
            "public address",
            False,
            f"PUBLIC_URL={url} is not HTTPS: answers and staff passwords "
            "would cross the network readable; serve the site over HTTPS and set "
            f"PUBLIC_URL=https://{parts.netloc}",
            fatal=True,
        )
    return Check("public address", True, f"links, posters and invitations point to {url}")


def _cookies(app: Flask) -> Check:
    https = app.config["PUBLIC_URL"].startswith("https://")
    if https and not app.config["SESSION_COOKIE_SECURE"]:
        return Check(
            "cookies",
            False,
            "SESSION_COOKIE_SECURE is off on an HTTPS site, so the session "
            "cookie would also travel over plain HTTP; remove SESSION_COOKIE_SECURE=false",
            fatal=True,
        )
    if https:
        return Check("cookies", True, "sent over HTTPS only; HSTS tells browsers to use nothing else")
    return Check(
        "cookies",
        True,
        "the site is not on HTTPS (loopback or development), so cookies are not marked Secure",
    )


def _proxy(app: Flask) -> Check:
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops < 0:
        return Check(
            "proxy",
            False,
            f"TRUSTED_PROXY_HOPS={hops}; set the number of proxies in front of the app (0 for none)",
            fatal=True,
        )
    if hops:
        return Check(
            "proxy",
            True,
            f"the client address is read from X-Forwarded-For as set by the "
            f"{hops} nearest prox{'y' if hops == 1 else 'ies'}; login limits count per client",
        )
    host = urlsplit(app.config["PUBLIC_URL"]).hostname
    if app.config["PUBLIC_URL"].startswith("https://") and host not in LOOPBACK:
        return Check(
            "proxy",
            False,
            "TRUSTED_PROXY_HOPS is 0, so behind the recommended TLS proxy every "
            "visitor shares one login limit (anyone could lock staff out); set "
            "TRUSTED_PROXY_HOPS=1 behind one proxy (ignore this if gunicorn itself serves HTTPS)",
        )
    return Check("proxy", True, "no forwarded header is read; login limits count per connecting address")


def _rate_limits(app: Flask) -> Check:
    storage = app.config["RATELIMIT_STORAGE_URI"]
    workers = app.config["WEB_CONCURRENCY"]
    if storage.startswith("memory://"):
        if workers > 1:
            return Check(
                "rate limits",
                False,
                f"counted in memory while WEB_CONCURRENCY={workers}: each "
                "worker keeps its own count, so the login limit is multiplied; set "
                "RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379",
                fatal=True,
            )
        return Check(
            "rate limits",
            True,
            "counted in memory (one worker; set "
            "RATELIMIT_STORAGE_URI=redis://... and WEB_CONCURRENCY before adding workers)",
        )
    from survey_app.limits import limiter

    try:
        reachable = limiter.storage.check()
    except Exception:
        reachable = False
    if not reachable:
        return Check(
            "rate limits",
            False,
            f"cannot reach {_without_password(storage)}; start it or fix RATELIMIT_STORAGE_URI",
        )
    return Check("rate limits", True, f"counted in {_without_password(storage)}, shared by all workers")


def _without_password(uri: str) -> str:
    parts = urlsplit(uri)
    return uri if parts.password is None else uri.replace(f":{parts.password}@", ":***@")


def _migrations(app: Flask) -> Check:
    try:
        revisions = database_revisions(db_session().connection())
    except SQLAlchemyError as error:
        return Check(
            "database",
            False,
            f"cannot reach the database ({error.__class__.__name__}); "
            "check DATABASE_URL and that the server runs",
        )
    if revisions != app.extensions["schema_heads"]:
        return Check("database", False, "the schema is not at the newest migration; run insight db upgrade")
    return Check("database", True, f"{db_session().get_bind().dialect.name}, migrations at head")


def _translations(app: Flask) -> Check:
    compiled = available_languages(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]), app.config["LANGUAGES"])
    missing = [code for code in app.config["LANGUAGES"] if code not in compiled]
    if missing:
        return Check(
            "translations",
            False,
            f"not compiled for {', '.join(missing)}, so respondents cannot "
            "choose them; run insight translations compile",
            fatal=True,
        )
    return Check("translations", True, f"all {len(app.config['LANGUAGES'])} languages compiled")


#: The smallest batch a PostgreSQL deployment should add responses in (responses/waiting.py).
RECOMMENDED_BATCH = 10


def _response_order(app: Flask) -> Check:
    batch = app.config["RESPONSE_BATCH"]
    try:
        unreadable = unreadable_count(db_session(), app.config["SECRET_KEY"])
    except SQLAlchemyError:
        db_session().rollback()
        return Check("response order", False, "cannot read the waiting responses; see the database check")
    if unreadable:
        return Check(
            "response order",
            False,
            f"{unreadable} waiting responses were sealed under another SECRET_KEY and cannot be added; "
            "set SECRET_KEY back to the one they were sent under, then run insight db release-responses",
        )
    if batch < RECOMMENDED_BATCH and db_session().get_bind().dialect.name == "postgresql":
        return Check(
            "response order",
            False,
            f"RESPONSE_BATCH={batch}: PostgreSQL keeps the order responses are added in until the "
            f"nightly insight db shuffle-responses; set RESPONSE_BATCH={RECOMMENDED_BATCH} to add them "
            "in shuffled batches",
        )
    if batch > 1:
        return Check(
            "response order", True, f"responses join the tables {batch} at a time, in a random order"
        )
    return Check(
        "response order", True, "responses are added as they are sent; SQLite keeps no order of them"
    )


def checks(app: Flask) -> list[Check]:
    """Every check, in the order `insight doctor` prints them; needs an app context."""
    return [
        check(app)
        for check in (
            _secret_key,
            _public_url,
            _cookies,
            _proxy,
            _rate_limits,
            _migrations,
            _response_order,
            _translations,
        )
    ]


def refuse_unsafe(app: Flask) -> None:
    """Raise UnsafeConfiguration, naming every fatal problem, unless the app is safe to serve."""
    with app.app_context():
        fatal = [check for check in checks(app) if check.fatal and not check.ok]
    if fatal:
        lines = "\n".join(f"- {check.name}: {check.message}" for check in fatal)
        raise UnsafeConfiguration(
            f"Community Insight will not serve the public with this configuration:\n"
            f"{lines}\nRun insight doctor to see every check."
        )
