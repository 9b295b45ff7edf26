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
    """Model serializer whose DateTimeFields are contract instants."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: InstantField,
    }
