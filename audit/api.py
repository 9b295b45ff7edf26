from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.principal import principal_of
from core.api_errors import RuleValidationError

from . import history
from .policy import may_read_history


@extend_validation_errors(["required"], field_name="model", methods=["get"])
@extend_validation_errors(["required"], field_name="id", methods=["get"])
class RecordHistory(APIView):
    """A record's history (and what it owns), oldest first, where the record itself is visible
    (audit/policy.py): keys with `audit:read`; users with the record's view permission or
    auditors. Accounts, memberships, keys and deliveries: that organisation's administrators
    and auditors only."""

    scope = "any"  # the policy decides (audit/policy.py)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "model", OpenApiTypes.STR, description="app_label.model", required=True
            ),
            OpenApiParameter(
                "id",
                OpenApiTypes.STR,
                description="The record's id (404 if not one)",
                required=True,
            ),
        ],
        responses=inline_serializer(
            "AuditHistoryVersion",
            {
                "model": serializers.CharField(),
                "object_id": serializers.CharField(),
                "history_id": serializers.IntegerField(),
                "changed_at": serializers.DateTimeField(),
                "changed_by": serializers.CharField(),
                "actor_kind": serializers.CharField(),
                "api_key_id": serializers.CharField(allow_null=True),
                "triggered_by": serializers.CharField(allow_null=True),
                "change_type": serializers.ChoiceField(["created", "changed", "deleted"]),
                "correction": serializers.BooleanField(),
                "reason": serializers.CharField(allow_null=True),
                "changes": serializers.DictField(),
            },
            many=True,
        ),
    )
    def get(self, request):
        label, raw = request.query_params.get("model", ""), request.query_params.get("id", "")
        # Absent: 400 `required`. Present but empty names no record: 404, like any unknown one.
        errors = [
            (name, "required", _("This parameter is required."))
            for name in ("model", "id")
            if name not in request.query_params
        ]
        if errors:
            raise RuleValidationError(errors)
        model = history.tracked_model(label.lower())
        pk = history.parse_pk(model, raw)
        may_read_history(principal_of(request), model, pk).enforce()
        if not model.history.filter(**{model._meta.pk.attname: pk}).exists():
            raise Http404
        versions = history.timeline(model, pk)
        data = [v.as_api() for v in versions]
        for item in data:
            item["object_id"] = str(item["object_id"])
            item["changed_at"] = history._jsonable(item["changed_at"])
        return Response(data)
