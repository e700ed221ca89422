"""WTForms classes built at run time from a questionnaire page (one field per answer key).

The form is the only place a respondent's input is validated: a choice must be one the item
offers, numbers must be whole and in range, text must fit.
"""

from __future__ import annotations

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation, ValidationError

from survey_app.caches import app_cache
from survey_app.definitions import Item
from survey_app.i18n import questionnaire_text, wtforms_translations

#: Form classes kept per app: one per set of items shown together, far more than questionnaires have.
FORM_CLASSES = 1024


class CheckboxesField(SelectMultipleField):
    """Several choices; unlike SelectMultipleField it reports a tampered value in plain words.

    The templates render choices from the questionnaire definition, so the field only needs
    the allowed values.
    """

    def __init__(self, allowed: frozenset[str], **kwargs):
        super().__init__(validate_choice=False, **kwargs)
        self.allowed = allowed

    def pre_validate(self, form):
        if any(value not in self.allowed for value in self.data or ()):
            raise StopValidation(
                _l("One of the options sent is not part of this question. Reload the page and choose again.")
            )


class ChoiceField(RadioField):
    def __init__(self, allowed: frozenset[str], **kwargs):
        super().__init__(validate_choice=False, **kwargs)
        self.allowed = allowed

    def pre_validate(self, form):
        if self.data is not None and self.data not in self.allowed:
            raise StopValidation(
                _l("The option sent is not part of this question. Reload the page and choose again.")
            )


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip())
            except ValueError:
                self.data = None
                raise ValueError(NOT_WHOLE) from None
        else:
            self.data = None


#: What a question left blank is told, by its form control; shared with the offline page's script.
REQUIRED = {
    "radios": _l("Choose an answer to this question"),
    "checkboxes": _l("Choose at least one option"),
    "number": _l("Enter a number"),
    "text": _l("Enter an answer"),
    "textarea": _l("Enter an answer"),
}
#: The field class of each form control (``analysis.item_types``).
CONTROLS = {
    "radios": ChoiceField,
    "checkboxes": CheckboxesField,
    "number": WholeNumberField,
    "text": StringField,
    "textarea": TextAreaField,
}
NOT_WHOLE = _l("Enter a whole number using digits, like 15")


def _exclusive_message(slug: str, item: Item, value: str) -> str:
    # Made while the request runs, so the choice is named in the respondent's language.
    label = questionnaire_text(f"{slug}.{item.id}", item.choice_label(value))
    return gettext('"%(label)s" cannot be ticked with other options: untick one', label=label)


def _exclusive(slug: str, item: Item):
    def check(_form, field: Field) -> None:
        chosen = set(field.data or ())
        lonely = chosen & set(item.exclusive)
        if lonely and len(chosen) > 1:
            raise ValidationError(_exclusive_message(slug, item, sorted(lonely)[0]))

    return check


def _max_choices_message(limit: int) -> str:
    return ngettext("Choose at most %(num)d option", "Choose at most %(num)d options", limit)


def _max_choices(limit: int):
    def check(_form, field: Field) -> None:
        if len(field.data or ()) > limit:
            raise ValidationError(_max_choices_message(limit))

    return check


def _length_message(length: str, limit: int) -> str:
    return _l(
        "Your answer is too long: %(length)s characters. Keep it under %(limit)s characters.",
        length=length,
        limit=f"{limit:,}",
    )


def _length(limit: int):
    def check(_form, field: Field) -> None:
        length = len(field.data or "")
        if length > limit:
            raise StopValidation(_length_message(f"{length:,}", limit))

    return check


def _range_message(item: Item) -> str:
    if item.min is not None and item.max is not None:
        return _l("Enter a whole number from %(min)s to %(max)s", min=item.min, max=item.max)
    if item.min is not None:
        return _l("Enter a whole number of %(min)s or more", min=item.min)
    return _l("Enter a whole number of %(max)s or less", max=item.max)


def fields_for(slug: str, item: Item) -> dict[str, Field]:
    """The form fields that ask an item, by answer key, with its kind's control and the rules its
    file sets (exclusive options, a limit on ticks, a range, a length)."""
    control = item.kind.control
    validators = [Optional() if item.optional else InputRequired(message=REQUIRED[control])]
    if item.exclusive:
        validators.append(_exclusive(slug, item))
    if item.max_choices:
        validators.append(_max_choices(item.max_choices))
    if item.min is not None or item.max is not None:
        validators.append(NumberRange(min=item.min, max=item.max, message=_range_message(item)))
    if item.max_length is not None:
        validators.insert(0, _length(item.max_length))
    if item.kind.has_options:
        allowed = frozenset(choice.value for choice in item.choices)
        return {key: CONTROLS[control](allowed, validators=validators) for key in item.answer_keys}
    return {key: CONTROLS[control](validators=validators, filters=[_strip]) for key in item.answer_keys}


def client_rules(slug: str, item: Item) -> dict[str, dict]:
    """What the offline page's script checks before a page moves on, by answer key: the rules of
    the fields above with their messages in the current language (``{length}`` is filled in by the
    script). The server checks the same answers with the fields themselves when they arrive."""
    control = item.kind.control
    rule: dict = {"control": control, "optional": item.optional, "required": str(REQUIRED[control])}
    if item.exclusive:
        rule["exclusive"] = {value: _exclusive_message(slug, item, value) for value in item.exclusive}
    if item.max_choices:
        rule.update(max_choices=item.max_choices, too_many=_max_choices_message(item.max_choices))
    if control == "number":
        rule.update(min=item.min, max=item.max, not_whole=str(NOT_WHOLE))
        if item.min is not None or item.max is not None:
            rule["out_of_range"] = str(_range_message(item))
    if item.max_length is not None:
        rule.update(max_length=item.max_length, too_long=str(_length_message("{length}", item.max_length)))
    return {key: rule for key in item.answer_keys}


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class PageFormBase(FlaskForm):
    class Meta:
        def get_translations(self, form):
            # Flask-WTF's own would read WTForms' catalog from disk on every request.
            return wtforms_translations()


def page_form(slug: str, items: list[Item], answers: dict, formdata=None) -> FlaskForm:
    """A form for the given items of one page of questionnaire `slug`, filled from the answers so far.

    The class depends on nothing but the questionnaire and the items (its messages are translated
    when shown), so each set of items gets one class per app, reused by every request that shows them."""
    classes = app_cache("page_forms", FORM_CLASSES)
    form_class = classes.get((slug, *items))
    if form_class is None:
        fields: dict[str, Field] = {}
        for item in items:
            fields.update(fields_for(slug, item))
        form_class = classes[(slug, *items)] = type("PageForm", (PageFormBase,), fields)
    data = {key: answers[key] for item in items for key in item.answer_keys if key in answers}
    # CSRFProtect checks every POST before the view runs, so the form needs no token field of its own.
    return form_class(formdata=formdata, data=data, meta={"csrf": False})
