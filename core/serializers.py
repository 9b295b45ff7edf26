"""Shared serializer pieces for the partner API."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# The Mental Health Act 1983 came into force on 30 September 1983: no instant Harbour records
# can be earlier (the pages refuse the same; incidents/forms/fields.py).
MHA_1983_IN_FORCE = datetime(1983, 9, 30, tzinfo=ZoneInfo("Europe/London"))
EARLIEST_DATE_OF_BIRTH = date(1900, 1, 1)


class InstantField(serializers.DateTimeField):
    """RFC 3339 instant that must carry an offset (contract: code `timezone_required`), not
    before the Mental Health Act 1983 came into force (`before_mental_health_act_1983`).

    Responses give instants in UTC with `Z`.
    """

    default_error_messages = {
        "timezone_required": _(
            "Give the time with its offset, for example 2026-03-29T00:30:00+00:00."
        ),
        "before_mental_health_act_1983": _(
            "Give a time on or after 30 September 1983, when the Mental Health Act 1983 came "
            "into force."
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
        value = super().to_internal_value(value)
        if value < MHA_1983_IN_FORCE:
            self.fail("before_mental_health_act_1983")
        return value

    def to_representation(self, value):
        if value is None:
            return None
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class StrictCharField(serializers.CharField):
    """A string field that takes only JSON strings (DRF's CharField turns 123 into "123", so a
    schema-violating number would be accepted)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class HarbourModelSerializer(serializers.ModelSerializer):
    """Model serializer whose DateTimeFields are contract instants.

    A read-only field built from a model field with choices that may be blank keeps
    `allow_blank`, which DRF drops for read-only fields: the blank value is what the response
    holds when nothing was chosen, and the schema then lists "" among the values. (Null, where
    the model field is nullable, is kept by DRF.)"""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: InstantField,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank_choice = "choices" in kwargs and kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank_choice and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs
