from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Organisation
from core.serializers import HarbourModelSerializer, StrictCharField
from people.models import Person
from people.services import TRUST_KINDS
from people.validators import validate_nhs_number


class NhsNumberField(StrictCharField):
    """Ten digits (spaces allowed on input) with a modulus-11 check digit (`invalid_nhs_number`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 14)
        kwargs.setdefault("validators", [validate_nhs_number])
        kwargs.setdefault("help_text", _("10 digits; the last is a modulus-11 check digit."))
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        if isinstance(data, str):
            data = data.replace(" ", "")
            if data == "":
                return None
        return super().run_validation(data)


class PersonSerializer(HarbourModelSerializer):
    nhs_number = NhsNumberField()
    nhs_trust = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.filter(kind__in=TRUST_KINDS),
        allow_null=True,
        required=False,
        help_text=_("The NHS trust (slug) that `nhs_trust_record_id` belongs to."),
    )
    merged_into = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=_("Set when this record was merged into another; use that one instead."),
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "given_name",
            "family_name",
            "date_of_birth",
            "age_assessment",
            "gender",
            "ethnicity",
            "nhs_number",
            "rms_person_id",
            "nhs_trust_record_id",
            "nhs_trust",
            "preferred_language",
            "merged_into",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "merged_into", "created_at", "updated_at"]
        extra_kwargs = {
            "age_assessment": {"help_text": _("When the date of birth is not known.")},
            "date_of_birth": {"help_text": _("From 1900-01-01 to today.")},
            "preferred_language": {
                "help_text": _(
                    "The language the person prefers: cy (Welsh), en (English), other; "
                    "blank when not recorded."
                )
            },
        }
