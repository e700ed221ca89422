"""The safeguarding lead's record of what was done about a flagged answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from survey_app.models import SAFEGUARDING_OUTCOMES

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
