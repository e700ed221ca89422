from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from survey_app.models import CHANNEL_TYPES, DEVICE_MODES, SAFEGUARDING_OUTCOMES
from survey_app.surveys.channels import TYPE_LABELS

from .channels import MAX_CODES_AT_ONCE, district_choices


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"), validators=[InputRequired(_l("Enter your email address")), Length(max=254)]
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(_l("Enter your password")), Length(max=1000)]
    )


class WaveForm(FlaskForm):
    key = StringField(
        _l("Short name"),
        description=_l("Lower-case letters, digits and hyphens, like 2026-autumn"),
        validators=[InputRequired(_l("Enter a short name")), Length(max=60)],
    )
    label = StringField(
        _l("Label"),
        description=_l("What people read, like Autumn 2026"),
        validators=[InputRequired(_l("Enter a label")), Length(max=120)],
    )
    make_current = BooleanField(_l("New responses join this wave"), default=True)


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


#: What each safeguarding outcome means, in the words the lead chooses from.
OUTCOME_LABELS = {
    "no_concern": _l("No concern: on reading it, nobody seems to be at risk"),
    "no_further_action": _l("A concern, but there is nothing more that can be done"),
    "shared_with_partner": _l("Shared with a partner who can act on it, such as a school or youth service"),
    "referred": _l("Referred under the local safeguarding procedure"),
    "reported_to_police": _l("Reported to the police"),
}
MAX_ACTION_LENGTH = 2000


class SafeguardingForm(FlaskForm):
    outcome = RadioField(
        _l("Outcome"),
        choices=[SelectChoice(value, OUTCOME_LABELS[value]) for value in SAFEGUARDING_OUTCOMES],
        validators=[InputRequired(_l("Choose the outcome"))],
    )
    action = TextAreaField(
        _l("What was done"),
        description=_l(
            "Up to 2,000 characters: what you did, who you told and when. Never guess who wrote it."
        ),
        filters=[lambda text: text.strip() if text else text],
        validators=[
            DataRequired(_l("Describe what was done")),
            Length(max=MAX_ACTION_LENGTH, message=_l("Shorten what was done to 2,000 characters or fewer")),
        ],
    )
