"""Forms for distribution links: a new link, its devices, more access codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from survey_app.models import CHANNEL_TYPES, DEVICE_MODES
from survey_app.surveys.channels import TYPE_LABELS

from .service import MAX_CODES_AT_ONCE, district_choices

#: What each kind of device means, as staff choose it and read it on the list of links.
DEVICE_LABELS = {
    "shared": _l(
        "Shared: people answer one after another on the same tablet or laptop, so answers "
        "are cleared between them"
    ),
    "personal": _l("Personal: people answer on their own phones and can save and finish later with a code"),
}


OFFLINE_LABEL = _l(
    "Works without a signal, for events: completed surveys wait on the device until it is online"
)


class ChannelForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("For staff only, like “Year 9, City School”"),
        validators=[InputRequired(_l("Enter a name for the link")), Length(max=120)],
    )
    type = SelectField(
        _l("Type of place"),
        description=_l("Each response records this type, never the link"),
        choices=[SelectChoice(value, TYPE_LABELS[value]) for value in CHANNEL_TYPES],
    )
    area = SelectField(_l("District"), description=_l("Each response records this district too"))
    expected_size = IntegerField(
        _l("How many people it reaches (optional)"),
        description=_l("Links that reach fewer than 10 people get a warning"),
        validators=[Optional(), NumberRange(1, 1_000_000, _l("Enter a number from 1 to 1,000,000"))],
    )
    devices = RadioField(
        _l("Devices"),
        default="",
        choices=[
            SelectChoice(
                "", _l("As usual for the kind of place: shared for schools, youth clubs and events")
            ),
            *(SelectChoice(value, DEVICE_LABELS[value]) for value in DEVICE_MODES),
        ],
    )
    offline = BooleanField(OFFLINE_LABEL)
    requires_code = BooleanField(_l("Closed group: each person needs a one-time access code"))
    codes = IntegerField(
        _l("Number of access codes to make"),
        default=30,
        validators=[
            Optional(),
            NumberRange(1, MAX_CODES_AT_ONCE, _l("Enter a number from 1 to %(max)d", max=MAX_CODES_AT_ONCE)),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = [
            SelectChoice("", _l("No particular district (online)")),
            *(SelectChoice(value, name) for value, name in district_choices()),
        ]


class DevicesForm(FlaskForm):
    devices = SelectField(
        _l("Devices"), choices=[SelectChoice(value, DEVICE_LABELS[value]) for value in DEVICE_MODES]
    )
    offline = BooleanField(OFFLINE_LABEL)


class CodesForm(FlaskForm):
    count = IntegerField(
        _l("Number of codes"),
        default=30,
        validators=[
            InputRequired(_l("Enter how many codes to make")),
            NumberRange(1, MAX_CODES_AT_ONCE, _l("Enter a number from 1 to %(max)d", max=MAX_CODES_AT_ONCE)),
        ],
    )
