"""Shared serializer pieces for the partner API."""

from datetime import UTC

from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class InstantField(serializers.DateTimeField):
    """RFC 3339 instant that must carry an offset (contract: code `timezone_required`).

    Responses give instants in UTC with `Z`.
    """

    default_error_messages = {
        "timezone_required": _(
            "Give the time with its offset, for example 2026-03-29T00:30:00+00:00."
        ),
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                dt = parse_datetime(value.strip())
            except ValueError:
                dt = None
            if dt is not None and dt.tzinfo is None:
                self.fail("timezone_required")
        return super().to_internal_value(value)

    def to_representation(self, value):
        if value is None:
            return None
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class HarbourModelSerializer(serializers.ModelSerializer):
    """Model serializer whose DateTimeFields are contract instants.

    A read-only field built from a model field with choices that may be blank keeps
    `allow_blank`, which DRF drops for read-only fields: the blank value is what the response
    holds when nothing was chosen, and the schema then lists "" among the values. (Null, where
    the model field is nullable, is kept by DRF.)"""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: InstantField,
    }

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank_choice = "choices" in kwargs and kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank_choice and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs
