"""GOV.UK Design System markup for Django forms.

Every form renders through ``Renderer`` (settings.FORM_RENDERER): one field
template (templates/govuk/field.html) gives each field the Design System's label,
hint, error message and input classes, so views and forms stay plain Django.
Dates use the Design System's three-box date input (``GovukDateField``).
"""

import copy
import datetime

from django import forms, template
from django.forms.renderers import TemplatesSetting

register = template.Library()


class Renderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


# Widget type (BoundField.widget_type) -> the Design System's input class.
INPUT_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input",
    "url": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "multiplefile": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
    "dateinputs": "govuk-input govuk-date-input__input",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
    "govuk-input govuk-date-input__input": "govuk-input--error",
}
FIELDSET_WIDGETS = {"radioselect", "checkboxselectmultiple", "dateinputs"}


@register.simple_tag
def govuk_widget(field):
    """The field's widget with the Design System's classes and descriptions."""
    base = INPUT_CLASSES.get(field.widget_type, "")
    classes = [base, field.field.widget.attrs.get("class", "")]
    if field.errors:
        classes.append(ERROR_CLASSES.get(base, ""))
    attrs = {"class": " ".join(c for c in classes if c)}
    if field.widget_type not in FIELDSET_WIDGETS:
        described = [f"{field.auto_id}-hint"] if field.help_text else []
        described += [f"{field.auto_id}-error"] if field.errors else []
        if described:
            attrs["aria-describedby"] = " ".join(described)
    widget = field.field.widget
    if field.widget_type == "textarea" and "maxlength" in widget.attrs:
        # A browser cuts a paste at maxlength without a word; the server
        # refuses text that is too long with its limit instead.
        widget = copy.copy(widget)
        widget.attrs = {k: v for k, v in widget.attrs.items() if k != "maxlength"}
    return field.as_widget(widget=widget, attrs=attrs)


@register.filter
def error_anchor(field):
    """The id an error summary links to: the field's first input."""
    if field.widget_type in ("radioselect", "checkboxselectmultiple"):
        return f"{field.auto_id}_0"
    if field.widget_type == "dateinputs":
        return f"{field.auto_id}_day"
    return field.id_for_label


@register.filter
def uses_fieldset(field):
    return field.widget_type in FIELDSET_WIDGETS


class DateInputs(forms.MultiWidget):
    """Day, month and year boxes (the Design System's date input)."""

    template_name = "govuk/date_inputs.html"

    def __init__(self, attrs=None):
        boxes = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in PARTS}
        super().__init__(boxes, attrs)

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


PARTS = ("day", "month", "year")
NUMBERS_ONLY = "Enter the date in numbers, for example 27 3 2027."


class GovukDateField(forms.MultiValueField):
    widget = DateInputs

    def __init__(self, **kwargs):
        parts = [
            forms.IntegerField(required=False, error_messages={"invalid": NUMBERS_ONLY})
            for _ in PARTS
        ]
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, values):
        if not values or all(v is None for v in values):
            return None
        day, month, year = values
        missing = [name for name, v in zip(PARTS, values, strict=True) if v is None]
        if missing:
            raise forms.ValidationError(f"{self.label} must include a {' and '.join(missing)}.")
        try:
            if year < 1000:
                raise ValueError
            return datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(f"{self.label} must be a real date.") from None


class PastDateConfirmation(forms.Form):
    """A date in the past is asked about, not taken silently: the first time,
    the form comes back saying so, with a box to tick if it is right; ticked,
    it is taken. ``past_date_fields`` names the dates asked about; a date left
    as it was is not asked about again."""

    past_date_fields: tuple[str, ...] = ()

    confirm_past = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        from django.utils import timezone

        cleaned = super().clean()
        today = timezone.localdate()
        past = [
            name
            for name in self.past_date_fields
            if isinstance(cleaned.get(name), datetime.date)
            and cleaned[name] < today
            and cleaned[name] != self._saved_value(name)
        ]
        if past and not cleaned.get("confirm_past"):
            for name in past:
                label = self.fields[name].label
                self.add_error(
                    name,
                    f"{label} is in the past ({cleaned[name]:%-d %B %Y}). If that is right, "
                    "tick “Yes, the date is in the past” and save again; if not, correct it.",
                )
            field = self.fields.pop("confirm_past")  # shown last, as a box to tick
            field.widget = forms.CheckboxInput()
            field.label = "Yes, the date is in the past"
            self.fields["confirm_past"] = field
        return cleaned

    def _saved_value(self, name):
        instance = getattr(self, "instance", None)
        return getattr(instance, name, None) if instance is not None and instance.pk else None


def named_required(field, name) -> None:
    """Django's "This field is required." names no field: say which, and what
    to do (choose or enter)."""
    default = forms.Field.default_error_messages["required"]
    if str(field.error_messages.get("required")) != str(default):
        return
    label = str(field.label or name.replace("_", " ")).rstrip(":")
    label = label[:1].lower() + label[1:]
    verb = "Choose" if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) else "Enter"
    field.error_messages["required"] = f"{verb} {label}."
    if isinstance(field, forms.IntegerField):
        field.error_messages["invalid"] = f"Enter {label} as a whole number, for example 2018."
