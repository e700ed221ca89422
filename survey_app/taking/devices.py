"""Shared devices (a school's tablets, a youth club's laptop, an event stall's tablet): one person
after another in one browser.

A draft started through a shared-device link is deleted when its person sends it, leaves quickly,
presses "Stop", or leaves it unused for the deployment's idle time (SHARED_DEVICE_IDLE_MINUTES;
the server enforces it, the countdown in site.js only shows it). The start page of such a link is
always a fresh start, the browser forgets the language chosen, and the "hand the device on" page
shows nothing of the person before. Only the link's key stays in the cookie, so the next person
answers through the same link.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Response, after_this_request, current_app, flash, g, redirect, session, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _

from survey_app.db import db_session
from survey_app.i18n import COOKIE as LANGUAGE_COOKIE
from survey_app.models import Channel

from . import service


def idle_time() -> timedelta:
    return current_app.config["SHARED_DEVICE_IDLE"]


def idle_for(channel: Channel | None) -> timedelta | None:
    """How long a draft started through this link may go unused: None for a personal device."""
    return idle_time() if channel is not None and channel.devices == "shared" else None


def note_draft(draft: service.OpenDraft | None) -> None:
    """Pages of this request show the shared-device bar when the draft is a shared device's."""
    if draft is not None and draft.shared:
        g.shared_device = draft.idle_seconds


def note_link(channel: Channel | None) -> None:
    if idle_for(channel) is not None:
        g.shared_device = int(idle_time().total_seconds())


def template_values() -> dict:
    """``shared_device``: the idle time in seconds when this page is on a shared device, else None."""
    seconds = g.get("shared_device")
    text = format_timedelta(timedelta(seconds=seconds), threshold=1) if seconds else None
    return {"shared_device": seconds, "shared_idle_text": text}


def keep_link(slug: str, channel: Channel | None) -> None:
    """A shared-device link stays in the cookie after a draft starts: it is the device's, not the
    person's, and the next person answers through it."""
    if idle_for(channel) is not None:
        session["via"] = {**session.get("via", {}), slug: channel.key}


def fresh_start(slug: str, token: str | None, channel: Channel | None, now: datetime) -> Response | None:
    """The start page on a shared device never offers someone else's answers: a draft left
    behind there is deleted, with the language its person chose. Returns the redirect that shows
    the start page again without them, or None when there was nothing to clear."""
    try:
        draft = service.open_draft(db_session(), token, now)
    except service.DraftIdle:
        return _clear(redirect(url_for("taking.start", slug=slug)))
    except (service.DraftGone, service.DraftExpired):
        return None
    if draft is None or (idle_for(channel) is None and not draft.shared):
        return None
    return _clear(redirect(url_for("taking.start", slug=slug)))


def sent() -> None:
    """After a shared device's draft is sent: the thank-you page is the last page in its person's
    language; the browser forgets the choice and every draft as the page is shown."""
    if g.get("shared_device"):
        _forget()
        after_this_request(without_language)


def hand_over(slug: str, idle: bool = False) -> Response:
    """Forget everything of the person who used this browser, and show the hand-over page."""
    return forget(redirect(url_for("taking.handed_over", slug=slug), 303), idle)


def forget(response: Response, idle: bool = False) -> Response:
    """Forget everything of the person who used this browser, as ``response`` goes out."""
    if idle:
        flash(
            _(
                "The answers on this device were cleared because nobody used it for %(time)s.",
                time=format_timedelta(idle_time(), threshold=1),
            )
        )
    return _clear(response)


def _clear(response: Response) -> Response:
    _forget()
    return without_language(response)


def _forget() -> None:
    """Delete this browser's drafts and empty its cookie, except the links it came by."""
    for token in session.get("drafts", {}).values():
        service.discard_draft(db_session(), token)
    links = session.get("via", {})
    messages = session.get("_flashes", [])
    session.clear()
    if links:
        session["via"] = links
    if messages:
        session["_flashes"] = messages


def without_language(response: Response) -> Response:
    """The next person starts in the language of the device, not the one chosen before."""
    response.delete_cookie(
        LANGUAGE_COOKIE, httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"]
    )
    return response
