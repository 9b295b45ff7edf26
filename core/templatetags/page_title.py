"""The page title: "Page – Harbour" (GOV.UK: the page's own title, then the service's name)."""

from django import template
from django.conf import settings

register = template.Library()


@register.filter(is_safe=True)
def with_service_name(title: str) -> str:
    """`title` followed by the service's name; the service's name alone when `title` is empty."""
    service = getattr(settings, "HARBOUR", {}).get("SERVICE_NAME", "Harbour")
    title = " ".join(str(title).split())
    return f"{title} – {service}" if title else service
