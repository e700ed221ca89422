"""Addresses that leave the site (distribution links, QR posters, panel invitations): built on
PUBLIC_URL, so a request's Host header cannot redirect them; production refuses to start without it."""

from __future__ import annotations

from flask import current_app, request, url_for


def public_url(endpoint: str, **values) -> str:
    """The absolute address of `endpoint` as respondents reach it; without PUBLIC_URL (development
    only) the address this request came to."""
    base = current_app.config["PUBLIC_URL"] or request.url_root.rstrip("/")
    return f"{base}{url_for(endpoint, **values)}"
