from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation
from core.serializers import HarbourModelSerializer

from .models import PlaceOfSafety, PlaceStatus


@extend_schema_field(
    {
        "type": "string",
        "enum": PlaceStatus.values,
        "description": "Read: the effective status (`full` whenever occupancy >= capacity, "
        "otherwise what staff declared). Write: what staff declare.",
    }
)
class StatusField(serializers.ChoiceField):
    """Writes the declared status; reads the effective one."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        annotated = getattr(instance, "effective_status", None)
        if annotated is not None:
            return annotated
        occupancy = getattr(instance, "occupancy", 0) or 0
        return (
            PlaceStatus.FULL.value if occupancy >= instance.capacity else instance.declared_status
        )


class PlaceOfSafetySerializer(HarbourModelSerializer):
    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("The operator's slug; defaults to the caller's organisation."),
    )
    status = StatusField(
        choices=PlaceStatus.choices,
        source="declared_status",
        required=False,
        help_text=_(
            "Read: the effective status (`full` whenever occupancy >= capacity). Write: what staff declare."
        ),
    )
    declared_status = serializers.ChoiceField(
        choices=PlaceStatus.choices,
        read_only=True,
        help_text=_("What the place's staff last declared."),
    )
    occupancy = serializers.IntegerField(
        read_only=True, default=0, help_text=_("Active detentions at the place now.")
    )
    status_updated_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text=_("The user who last set the status (null for an API key or the system)."),
    )

    class Meta:
        model = PlaceOfSafety
        fields = [
            "id",
            "name",
            "kind",
            "organisation",
            "address",
            "accepts_under_18",
            "capacity",
            "status",
            "declared_status",
            "status_reason",
            "status_updated_at",
            "status_updated_by",
            "occupancy",
            "active",
        ]
        read_only_fields = ["status_updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["occupancy"] = getattr(instance, "occupancy", 0) or 0
        return data
