"""GOV.UK Frontend form markup for Django forms: the one set every app's pages use.

- `{% govuk_field form.x %}`: label (or legend for radios), hint, error message (with a
  visually hidden "Error:") and the widget with the error class and `aria-describedby`.
- `{% govuk_date form.x %}`: a day/month/year date input in a fieldset.
- `{% govuk_error_summary form %}` (or a list of forms): the error summary, each error a link
  to its field.
- `{% page_has_errors as flag %}`: whether any form on the page has errors; base.html uses it
  to put "Error: " before the page title, as GOV.UK asks.
"""

from django import forms, template

register = template.Library()

ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
}


def _default_class(widget) -> str:
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        return "govuk-select"
    if isinstance(widget, forms.Textarea):
        return "govuk-textarea"
    if isinstance(widget, forms.widgets.Input) and widget.input_type not in {
        "checkbox",
        "radio",
        "file",
    }:
        return "govuk-input"
    return ""


def described_by(field) -> str:
    """The ids of the field's hint and error message, for `aria-describedby`."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def govuk_widget(field):
    """Renders the widget with its GOV.UK class, the error class and `aria-describedby`."""
    classes = field.field.widget.attrs.get("class") or _default_class(field.field.widget)
    if field.errors:
        for base, error in ERROR_CLASSES.items():
            if base in classes.split():
                classes = f"{classes} {error}"
    attrs = {"class": classes} if classes else {}
    if described := described_by(field):
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)


def _is_radio(field) -> bool:
    return isinstance(field.field.widget, forms.RadioSelect)


@register.inclusion_tag("govuk/field.html")
def govuk_field(field, label_size="", group_class=""):
    """A GOV.UK form group for one bound field (radios get a fieldset and a legend)."""
    radios = []
    if _is_radio(field):
        value = field.value()
        value = "" if value is None else str(value)
        radios = [  # ids as GOV.UK Frontend's macro makes them: "x", "x-2", "x-3"...
            {
                "id": field.auto_id if i == 0 else f"{field.auto_id}-{i + 1}",
                "value": v,
                "label": label,
                "checked": str(v) == value,
            }
            for i, (v, label) in enumerate(field.field.choices)
        ]
    return {
        "field": field,
        "radio": _is_radio(field),
        "radios": radios,
        "described_by": described_by(field),
        "label_size": label_size,
        "group_class": group_class,
    }


@register.inclusion_tag("govuk/date.html")
def govuk_date(field):
    """A GOV.UK date input (day, month, year) in a fieldset for a bound date field."""
    return {"bf": field, "described_by": described_by(field)}


def error_target(field, radio_suffix="") -> str:
    """The id of the first input of a field, where the error summary's link goes. The first
    radio or checkbox has the field's id (as `govuk_field` renders it) plus `radio_suffix`
    ("_0" where a page renders Django's own ids)."""
    if _is_radio(field) or isinstance(field.field.widget, forms.CheckboxSelectMultiple):
        return f"{field.auto_id}{radio_suffix}"
    return field.auto_id


def _as_forms(forms_or_form) -> list:
    if forms_or_form is None or forms_or_form == "":
        return []
    if isinstance(forms_or_form, list | tuple):
        return [f for f in forms_or_form if f is not None]
    return [forms_or_form]


@register.inclusion_tag("govuk/error_summary.html")
def govuk_error_summary(forms_or_form, non_field_target="", radio_suffix=""):
    """The GOV.UK error summary for one form or a list of forms.

    Non-field errors link to `non_field_target` (`{prefix}` is replaced by the form's prefix),
    or are plain text where it is empty."""
    items = []
    for form in _as_forms(forms_or_form):
        if not form.errors:
            continue
        anchor = non_field_target.replace("{prefix}", form.prefix or "")
        items += [{"href": anchor, "text": e} for e in form.non_field_errors()]
        for bf in form:
            items += [{"href": error_target(bf, radio_suffix), "text": e} for e in bf.errors]
    return {"items": items}


def _has_errors(value) -> bool:
    if isinstance(value, forms.BaseFormSet):
        return value.is_bound and value.total_error_count() > 0
    if isinstance(value, forms.BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, list | tuple):
        return any(
            isinstance(v, forms.BaseForm | forms.BaseFormSet) and _has_errors(v) for v in value
        )
    return False


@register.simple_tag(takes_context=True)
def page_has_errors(context) -> bool:
    """True when any bound form in the page's context has errors, or the view says the page
    shows an error (`page_errors`, for pages whose errors come from no form)."""
    flat = context.flatten()
    if flat.get("page_errors"):
        return True
    return any(_has_errors(v) for v in flat.values())
