from rest_framework import serializers

from core.serializers import HarbourModelSerializer

from .models import Alert


class AlertSerializer(HarbourModelSerializer):
    """Contract fields first (api-contract.md), then Harbour's additions."""

    escalated = serializers.BooleanField(source="is_escalated", read_only=True)
    open = serializers.BooleanField(source="is_open", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "detention",
            "referral",
            "threshold_minutes",
            "due_at",
            "raised_at",
            "acknowledged_at",
            "acknowledged_by",
            "open",
            "closed_at",
            "closed_reason",
            "satisfied_at",
            "escalation_level",
            "escalated",
            "escalated_at",
            "protocol",
            "training_record",
        ]
        read_only_fields = fields
