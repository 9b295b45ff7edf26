"""GOV.UK Frontend form markup for Django form fields."""

from django import template

register = template.Library()

ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
}


@register.simple_tag
def govuk_widget(field):
    """Renders the widget with the error class and `aria-describedby` for hint and error."""
    widget = field.field.widget
    classes = widget.attrs.get("class", "")
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        for base, error in ERROR_CLASSES.items():
            if base in classes.split():
                classes = f"{classes} {error}"
    attrs = {"class": classes} if classes else {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
