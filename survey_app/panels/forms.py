"""Forms panel members fill in: joining, their view of a theme, and proposals."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, NumberRange, Optional

from survey_app.accounts import MIN_PASSWORD_LENGTH

REFLECTS_LABELS = {"yes": _l("Yes"), "partly": _l("Partly"), "no": _l("No"), "not_sure": _l("Not sure")}


def pick(pairs) -> list[SelectChoice]:
    """(value, label) pairs as select and radio fields take them."""
    return [SelectChoice(value, label) for value, label in pairs]


def _strip(text):
    return text.strip() if text else text


class JoinForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        description=_l("You log in with it; we do not send emails"),
        filters=[_strip],
        validators=[InputRequired(_l("Enter your email address")), Length(max=254)],
    )
    password = PasswordField(
        _l("Choose a password"),
        description=_l("At least %(num)d characters", num=MIN_PASSWORD_LENGTH),
        validators=[
            InputRequired(_l("Choose a password")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=1000,
                message=_l("Use at least %(num)d characters", num=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Type the password again"),
        validators=[
            InputRequired(_l("Type the password again")),
            EqualTo("password", _l("The two passwords are not the same")),
        ],
    )
    language = SelectField(_l("Your language"), description=_l("The panel pages will be in this language"))


class CardForm(FlaskForm):
    reflects = RadioField(
        _l("Does this reflect your community?"),
        choices=pick(list(REFLECTS_LABELS.items())),
        validators=[Optional()],
    )
    better_name = StringField(
        _l("A better name (optional)"),
        filters=[_strip],
        validators=[Length(max=120, message=_l("Shorten the name to 120 characters"))],
    )
    comment = TextAreaField(
        _l("Comment (optional)"),
        filters=[_strip],
        validators=[Length(max=2000, message=_l("Shorten the comment to 2,000 characters"))],
    )
    votes = IntegerField(
        _l("Priority votes for this theme"),
        default=0,
        validators=[
            InputRequired(_l("Enter a number of votes, 0 or more")),
            NumberRange(0, 20, _l("Enter a number of votes, 0 or more")),
        ],
    )


class ProposalForm(FlaskForm):
    kind = RadioField(
        _l("What do you propose?"),
        choices=pick(
            [
                ("merge", _l("Merge two themes: they are really one")),
                ("add", _l("Add a theme that is missing")),
            ]
        ),
        validators=[InputRequired(_l("Choose what you propose"))],
    )
    theme_a = SelectField(_l("First theme to merge"), validators=[Optional()])
    theme_b = SelectField(_l("Second theme to merge"), validators=[Optional()])
    text = TextAreaField(
        _l("In your own words"),
        description=_l("For a missing theme: what it is. For a merge: why, if you like."),
        filters=[_strip],
        validators=[Length(max=2000, message=_l("Shorten it to 2,000 characters"))],
    )
