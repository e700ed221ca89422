"""Distribution links: the list, a new link, its QR-code poster and its one-time access codes."""

from __future__ import annotations

import textwrap

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user

from analysis.stats import DisclosureRules
from survey_app.access import requires
from survey_app.db import db_session
from survey_app.links import public_url
from survey_app.surveys.channels import TYPE_LABELS, display_code, district_names
from survey_app.surveys.service import survey_version

from ..routes import bp, survey_or_404
from . import service as channels
from .forms import DEVICE_LABELS, ChannelForm, CodesForm, DevicesForm


def _public_link(slug: str, channel) -> str:
    return public_url("taking.start", slug=slug, via=channel.key)


def _idle_time() -> str:
    """How long a shared device's answers are kept unused, as the pages explain it ("5 minutes")."""
    return format_timedelta(current_app.config["SHARED_DEVICE_IDLE"], threshold=1)


def _render_channels(survey, form: ChannelForm, status: int = 200):
    rows = channels.channel_rows(db_session(), survey)
    links = {row.channel.id: _public_link(survey.slug, row.channel) for row in rows}
    return render_template(
        "staff/channels.html",
        survey=survey,
        rows=rows,
        links=links,
        form=form,
        type_labels=TYPE_LABELS,
        districts=district_names(),
        min_count=DisclosureRules().min_count,
        idle=_idle_time(),
        device_labels=DEVICE_LABELS,
    ), status


@bp.get("/surveys/<slug>/channels")
@requires("admin", "analyst")
def channels_page(slug: str):
    return _render_channels(survey_or_404(slug), ChannelForm())


@bp.post("/surveys/<slug>/channels")
@requires("admin")
def add_channel(slug: str):
    survey = survey_or_404(slug)
    form = ChannelForm()
    if form.validate_on_submit():
        try:
            channel = channels.add_channel(
                db_session(),
                current_user.id,
                survey,
                name=form.name.data,
                type=form.type.data,
                area=form.area.data or None,
                expected_size=form.expected_size.data,
                requires_code=form.requires_code.data,
                codes=form.codes.data or 0,
                devices=form.devices.data or None,
                offline=form.offline.data,
            )
        except channels.ChannelRefused as refused:
            form.name.errors.append(str(refused))
        else:
            flash(_("The link “%(name)s” was added.", name=channel.name))
            if channel.expected_size is not None and channel.expected_size < DisclosureRules().min_count:
                flash(
                    _(
                        "This link reaches fewer than 10 people, so its results could identify them. "
                        "Responses record only its type and district, and every table withholds counts "
                        "under 10; think about combining it with another group."
                    )
                )
            return redirect(url_for(".channels_page", slug=slug, _anchor=f"channel-{channel.id}"))
    return _render_channels(survey, form, 422)


@bp.post("/surveys/<slug>/channels/<int:channel_id>/devices")
@requires("admin")
def channel_devices(slug: str, channel_id: int):
    survey = survey_or_404(slug)
    channel = _channel_or_404(survey, channel_id)
    form = DevicesForm()
    if not form.validate_on_submit():
        abort(400, description=_("Choose shared or personal devices for the link."))
    try:
        channels.set_devices(db_session(), current_user.id, channel, form.devices.data, form.offline.data)
    except channels.ChannelRefused as refused:
        abort(400, description=str(refused))
    flash(
        _(
            "The link “%(name)s” is now for: %(devices)s.",
            name=channel.name,
            devices=DEVICE_LABELS[channel.devices],
        )
    )
    return redirect(url_for(".channels_page", slug=slug, _anchor=f"channel-{channel.id}"))


def _channel_or_404(survey, channel_id: int):
    channel = channels.channel_of(db_session(), survey, channel_id)
    if channel is None:
        abort(404, description=_("There is no such link for this survey."))
    return channel


@bp.get("/surveys/<slug>/channels/<int:channel_id>/poster.svg")
@requires("admin")
def channel_poster(slug: str, channel_id: int):
    survey = survey_or_404(slug)
    channel = _channel_or_404(survey, channel_id)
    link = _public_link(slug, channel)
    path, modules = channels.qr_path(link)
    definition = survey_version(db_session(), survey.current_version_id).definition
    svg = render_template(
        "staff/poster.svg",
        survey=definition,
        channel=channel,
        link=link,
        qr_path=path,
        modules=modules,
        wrap=textwrap.wrap,
        idle=_idle_time(),
    )
    return Response(
        svg,
        mimetype="image/svg+xml",
        headers={"Content-Disposition": f'inline; filename="{slug}-poster-{channel.id}.svg"'},
    )


def _render_codes(survey, channel, form: CodesForm, status: int = 200):
    codes = [display_code(code) for code in channels.unused_codes(db_session(), channel)]
    return render_template(
        "staff/codes.html",
        survey=survey,
        channel=channel,
        codes=codes,
        form=form,
        link=_public_link(survey.slug, channel),
    ), status


@bp.get("/surveys/<slug>/channels/<int:channel_id>/codes")
@requires("admin")
def channel_codes(slug: str, channel_id: int):
    survey = survey_or_404(slug)
    return _render_codes(survey, _channel_or_404(survey, channel_id), CodesForm())


@bp.post("/surveys/<slug>/channels/<int:channel_id>/codes")
@requires("admin")
def add_codes(slug: str, channel_id: int):
    survey = survey_or_404(slug)
    channel = _channel_or_404(survey, channel_id)
    form = CodesForm()
    if not form.validate_on_submit():
        return _render_codes(survey, channel, form, 422)
    if not channel.requires_code:
        abort(400, description=_("This link is open to anyone, so it does not use access codes."))
    channels.add_codes(db_session(), current_user.id, channel, form.count.data)
    flash(_("%(num)d codes were added.", num=form.count.data))
    return redirect(url_for(".channel_codes", slug=slug, channel_id=channel.id))
