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
