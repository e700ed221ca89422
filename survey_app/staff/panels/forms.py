"""Forms for the staff side of co-production panels."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from survey_app.coproduction.rounds import MAX_VOTES


def pick(pairs) -> list[SelectChoice]:
    """(value, label) pairs as select and radio fields take them."""
    return [SelectChoice(value, label) for value, label in pairs]


def _strip(text):
    return text.strip() if text else text


class PanelForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("Like “Young people’s panel, Leicester city”"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter a name for the panel")),
            Length(max=120, message=_l("Shorten the name to 120 characters or fewer")),
        ],
    )


class InviteForm(FlaskForm):
    note = StringField(
        _l("Note for yourself (optional)"),
        description=_l("Like “for Amira”; nobody else sees it"),
        filters=[_strip],
        validators=[Length(max=120, message=_l("Shorten the note to 120 characters or fewer"))],
    )


class RoundForm(FlaskForm):
    wave = SelectField(
        _l("Survey and wave"),
        description=_l("The panel reviews the themes of this wave"),
        validators=[InputRequired(_l("Choose a survey and wave"))],
    )
    votes = IntegerField(
        _l("Priority votes per member"),
        default=5,
        description=_l("From 1 to %(max)d", max=MAX_VOTES),
        validators=[
            InputRequired(_l("Enter how many votes each member has")),
            NumberRange(1, MAX_VOTES, _l("Enter a number from 1 to %(max)d", max=MAX_VOTES)),
        ],
    )


DECISION_KINDS = {
    "rename": _l("Rename a theme"),
    "merge": _l("Merge a theme into another"),
    "add": _l("Add a theme"),
}


class DecisionForm(FlaskForm):
    kind = SelectField(
        _l("Decision"),
        choices=pick(list(DECISION_KINDS.items())),
        validators=[InputRequired(_l("Choose a decision"))],
    )
    theme = SelectField(
        _l("Theme"),
        description=_l("The theme to rename or merge; not used when adding"),
        validators=[Optional()],
    )
    name = StringField(
        _l("New name"),
        description=_l("For a rename or an addition"),
        filters=[_strip],
        validators=[Length(max=120, message=_l("Shorten the name to 120 characters or fewer"))],
    )
    into = SelectField(_l("Merge into"), description=_l("Only for a merge"), validators=[Optional()])
    reason = TextAreaField(
        _l("Why"),
        description=_l("The codebook keeps this with the change"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Say why the change was made")),
            Length(max=2000, message=_l("Shorten the reason to 2,000 characters")),
        ],
    )


class WaveActionForm(FlaskForm):
    wave = SelectField(_l("Wave"), validators=[InputRequired(_l("Choose a wave"))])
    theme = SelectField(_l("Theme it answers (optional)"), validators=[Optional()])
    action = TextAreaField(
        _l("What was done"),
        description=_l("In plain words, for the public page"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Describe what was done")),
            Length(max=2000, message=_l("Shorten it to 2,000 characters or fewer")),
        ],
    )


def translation_field(code: str) -> str:
    return "text_" + code.replace("-", "_")


def translation_form(languages: dict[str, str], texts: dict[str, str]) -> FlaskForm:
    """A "we did" entry's words in each language of ``languages`` ({code: name}), filled in from
    ``texts`` until the form is sent; a box left empty shows the entry's own words in that language."""

    class TranslationForm(FlaskForm):
        pass

    for code, name in languages.items():
        # Each language is named in itself, marked so screen readers say it in that language.
        setattr(
            TranslationForm,
            translation_field(code),
            TextAreaField(
                Markup('<span lang="{}">{}</span>').format(code, name),
                filters=[_strip],
                validators=[Length(max=2000, message=_l("Shorten it to 2,000 characters or fewer"))],
                render_kw={"lang": code, "dir": "auto"},
            ),
        )
    return TranslationForm(data={translation_field(code): text for code, text in texts.items()})
