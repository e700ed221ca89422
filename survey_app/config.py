"""Configuration from environment variables only (12-factor), with absolute paths."""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment; for a single-machine install, one made once and kept.

    Several workers behind a load balancer must share one key, so production sets SECRET_KEY.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        # Created readable by its owner only from the first byte, never world-readable for a moment.
        with (
            contextlib.suppress(FileExistsError),
            os.fdopen(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out,
        ):
            out.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def questionnaires_dir() -> str:
    return str(Path(os.environ.get("QUESTIONNAIRES_DIR", PROJECT_ROOT / "questionnaires")).resolve())


def translations_dir() -> str:
    return str(Path(os.environ.get("TRANSLATIONS_DIR", PROJECT_ROOT / "translations")).resolve())


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name}={value!r} is not a whole number; set it to one such as {default}") from None


def _positive(name: str, default: int) -> int:
    number = _int(name, default)
    if number < 1:
        raise SystemExit(f"{name}={number} must be 1 or more; set it to a number such as {default}")
    return number


def _minutes(name: str, default: int) -> timedelta:
    minutes = _int(name, default)
    if minutes < 1:
        raise SystemExit(f"{name}={minutes} is too short; set it to a number of minutes such as {default}")
    return timedelta(minutes=minutes)


def from_environment(instance_path: Path) -> dict:
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'insight.db'}"
    public_url = os.environ.get("PUBLIC_URL", "").strip().rstrip("/")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        # `insight doctor` and the production start-up refuse a key kept in a file on one machine.
        "SECRET_KEY_FROM_ENVIRONMENT": bool(os.environ.get("SECRET_KEY")),
        "DATABASE_URL": database_url,
        "QUESTIONNAIRES_DIR": questionnaires_dir(),
        # The address respondents use (https://insight.example.org): links, QR posters and panel
        # invitations point here. Unset (development only), they use the address the site was reached by.
        "PUBLIC_URL": public_url,
        "QUICK_EXIT_URL": os.environ.get("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather"),
        "DRAFT_LIFETIME": timedelta(hours=int(os.environ.get("DRAFT_LIFETIME_HOURS", "24"))),
        # On a shared-device link, answers left this long without a page being opened or sent are
        # deleted, so the next person to pick up the tablet cannot see them.
        "SHARED_DEVICE_IDLE": _minutes("SHARED_DEVICE_IDLE_MINUTES", 5),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", public_url.startswith("https://")),
        # How many reverse proxies in front of the app may set X-Forwarded-For and -Proto; 0 reads
        # no forwarded header, so a client cannot pick the address its login attempts count against.
        "TRUSTED_PROXY_HOPS": _int("TRUSTED_PROXY_HOPS", 0),
        # gunicorn's own setting for its number of workers: with more than one, rate limits need Redis.
        "WEB_CONCURRENCY": _int("WEB_CONCURRENCY", 1),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "insight",
        # The cookie is re-sent only when it changes: fewer bytes on every page on mobile data.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(os.environ.get("DRAFT_LIFETIME_HOURS", "24"))),
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "SEND_FILE_MAX_AGE_DEFAULT": timedelta(days=365),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;30 per hour"),
        # A class behind one school address types its codes within minutes: generous per minute,
        # still far too few to find one of 31^8 codes by guessing.
        "ACCESS_CODE_RATE_LIMIT": os.environ.get("ACCESS_CODE_RATE_LIMIT", "60 per minute;300 per hour"),
        # Completed surveys one address may send from devices' queues (links that work offline): a
        # stall's tablets coming back online send everything at once; more waits and is sent later.
        "QUEUED_SURVEY_RATE_LIMIT": os.environ.get("QUEUED_SURVEY_RATE_LIMIT", "1200 per hour"),
        # Sent responses join the response tables this many at a time, in a random order, so the
        # database keeps no order of submission (responses/waiting.py); deploy/run.sh sets 10.
        "RESPONSE_BATCH": _positive("RESPONSE_BATCH", 1),
        # How long an export request waits for its file before a page says it is being prepared:
        # well inside gunicorn's 30-second limit on one request.
        "EXPORT_WAIT_SECONDS": _int("EXPORT_WAIT_SECONDS", 20),
        # A worker that gunicorn starts (wsgi.py) counts each survey's responses for its dashboard
        # at once, in the background, so the first analyst to open it does not wait for the count.
        "WARM_DASHBOARD": _bool("WARM_DASHBOARD", True),
        "BABEL_TRANSLATION_DIRECTORIES": translations_dir(),
    }
