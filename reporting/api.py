"""`GET /api/v1/reports/s136-return/?from=&to=[&power=s135_1]` (api-contract.md): JSON, or CSV
with `format=csv`.
Scope `reports:read` (users: `Perm.VIEW_REPORTS`); a force sees only its own detentions."""

import io

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import caller_organisation_id
from core import csv
from detentions.choices import Power

from . import queries
from .forms import EARLIEST, LATEST, RETURN_POWERS


class CsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        csv.writer(out).writerows(queries.s136_return_rows(data))
        return out.getvalue().encode("utf-8")


# A date from 1900 to 2100 (EARLIEST..LATEST): the pattern documents the range.
DATE_1900_2100 = {
    "type": "string",
    "format": "date",
    "pattern": r"^(19[0-9]{2}|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$",
}


class ReturnQuery(serializers.Serializer):
    def get_fields(self):
        return {
            "from": serializers.DateField(input_formats=["%Y-%m-%d"]),
            "to": serializers.DateField(input_formats=["%Y-%m-%d"]),
            "power": serializers.ChoiceField(
                choices=RETURN_POWERS, required=False, default=Power.S136
            ),
        }

    def validate(self, attrs):
        for name in ("from", "to"):
            if not (EARLIEST <= attrs[name] <= LATEST):
                raise serializers.ValidationError(
                    {
                        name: serializers.ErrorDetail(
                            f"Give a date from {EARLIEST} to {LATEST}.", "date_out_of_range"
                        )
                    }
                )
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError(
                {"to": serializers.ErrorDetail("`to` must not be before `from`.", "from_after_to")}
            )
        return attrs


_counts = serializers.DictField(child=serializers.IntegerField())
S136Return = inline_serializer(
    "S136Return",
    {
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "total": serializers.IntegerField(),
        "by_first_place_of_safety": _counts,
        "by_age_group": _counts,
        "by_gender": _counts,
        "by_ethnicity_group": _counts,
        "by_conveyance": _counts,
        "by_police_vehicle_reason": _counts,
        "under_18_at_police_station": serializers.IntegerField(),
        "extensions": serializers.IntegerField(),
        "breaches": serializers.IntegerField(),
        "unlawful_acts": serializers.IntegerField(
            help_text=_("R1: detentions with an act recorded as it happened that broke a rule.")
        ),
        "median_minutes_to_assessment": serializers.FloatField(allow_null=True),
        "power": serializers.ChoiceField(choices=RETURN_POWERS),
        # Force, search and restraint (domain.md): detentions, each counted once per figure.
        "force_used": serializers.IntegerField(),
        "by_force_tactic": _counts,
        "prone_restraint": serializers.IntegerField(),
        "restraint_at_health_based_place": serializers.IntegerField(),
        "force_injuries": _counts,
        "protective_searches": serializers.IntegerField(),
        "searches_items_found": serializers.IntegerField(),
    },
)


@extend_validation_errors(
    ["required", "invalid", "date_out_of_range"], field_name="from", methods=["get"]
)
@extend_validation_errors(
    ["required", "invalid", "date_out_of_range", "from_after_to"], field_name="to", methods=["get"]
)
@extend_validation_errors(["invalid_choice"], field_name="power", methods=["get"])
class S136ReturnView(APIView):
    scope = "reports"
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        operation_id="reports_s136_return",
        parameters=[
            OpenApiParameter(
                "from",
                DATE_1900_2100,
                required=True,
                description="First day, 1900-01-01 to 2100-12-31.",
            ),
            OpenApiParameter(
                "to",
                DATE_1900_2100,
                required=True,
                description="Last day, 1900-01-01 to 2100-12-31, not before `from`.",
            ),
            OpenApiParameter(
                "power",
                str,
                enum=[p for p, _label in RETURN_POWERS],
                required=False,
                description="The power the return covers (default `s136`).",
            ),
            OpenApiParameter("format", str, enum=["json", "csv"], required=False),
        ],
        responses={(200, "application/json"): S136Return, (200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        query = ReturnQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        org_id = caller_organisation_id(request)
        scope = queries.Scope(
            organisation_id=org_id if org_id is not None else -1,
            date_from=query.validated_data["from"],
            date_to=query.validated_data["to"],
            power=query.validated_data["power"],
        )
        response = Response(queries.s136_return(scope))
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = (
                f'attachment; filename="{queries.return_filename(scope)}"'
            )
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are always JSON (the contract's error shape), even when CSV was asked for.
        if response.status_code >= 400 and getattr(request, "accepted_renderer", None):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
