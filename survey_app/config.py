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
        with contextlib.suppress(FileExistsError), \
                os.fdopen(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
            out.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def questionnaires_dir() -> str:
    return str(Path(os.environ.get("QUESTIONNAIRES_DIR", PROJECT_ROOT / "questionnaires")).resolve())


def translations_dir() -> str:
    return str(Path(os.environ.get("TRANSLATIONS_DIR", PROJECT_ROOT / "translations")).resolve())


def from_environment(instance_path: Path) -> dict:
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'insight.db'}"
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "DATABASE_URL": database_url,
        "QUESTIONNAIRES_DIR": questionnaires_dir(),
        # The address respondents use (https://insight.example.org): links and QR posters point here.
        # Unset, they use the address staff reached the site by.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "").rstrip("/"),
        "QUICK_EXIT_URL": os.environ.get("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather"),
        "DRAFT_LIFETIME": timedelta(hours=int(os.environ.get("DRAFT_LIFETIME_HOURS", "24"))),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
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
        "BABEL_TRANSLATION_DIRECTORIES": translations_dir(),
    }
