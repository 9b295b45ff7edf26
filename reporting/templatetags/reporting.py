from django import template

register = template.Library()


@register.filter
def dash(value):
    """Numbers as they are; a missing value as an en dash."""
    if value is None or value == "":
        return "–"
    return value


@register.simple_tag
def csv_url(base, key, query=""):
    url = base.replace("KEY", key)
    return f"{url}?{query}" if query else url
