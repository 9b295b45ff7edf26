from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Organisation
from core.serializers import HarbourModelSerializer

from .models import PlaceOfSafety, PlaceStatus


class PlaceOfSafetySerializer(HarbourModelSerializer):
    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("The operator's slug; defaults to the caller's organisation."),
    )
    status = serializers.ChoiceField(
        choices=PlaceStatus.choices,
        source="declared_status",
        required=False,
        help_text=_(
            "Read: the effective status (`full` whenever occupancy >= capacity). Write: what staff declare."
        ),
    )
    declared_status = serializers.CharField(read_only=True)
    occupancy = serializers.IntegerField(read_only=True)

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
            "occupancy",
            "active",
        ]
        read_only_fields = ["status_updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        occupancy = getattr(instance, "occupancy", 0) or 0
        data["occupancy"] = occupancy
        data["status"] = (
            PlaceStatus.FULL if occupancy >= instance.capacity else instance.declared_status
        )
        return data
