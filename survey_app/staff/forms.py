"""Forms of the staff area's own pages: signing in and naming waves."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import InputRequired, Length


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
