from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.roles import OrganisationKind

from .models import Consent, ReferralStatus, Service, Urgency


class ReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={"required": _("Choose the organisation to refer to.")},
    )
    service = forms.ChoiceField(
        label=_("Service"),
        choices=[("", _("Choose a service")), *Service.choices],
        error_messages={"required": _("Choose the service.")},
    )
    person = forms.ChoiceField(
        label=_("Person"), error_messages={"required": _("Choose the person referred.")}
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the urgency.")},
    )
    reason = forms.CharField(
        label=_("Reason for the referral"),
        help_text=_("What the partner needs to know to help. Share only what is needed."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Give the reason for the referral.")},
    )
    contact_details = forms.CharField(
        label=_("How to contact the person (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.ChoiceField(
        label=_("Consent to share"),
        choices=Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the person consented.")},
    )
    lawful_basis = forms.CharField(
        label=_("Lawful basis for sharing without consent"),
        help_text=_("Required when consent was refused or not sought."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, people=(), sender=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.filter(active=True).exclude(kind=OrganisationKind.POLICE_FORCE)
        if sender is not None:
            qs = qs.exclude(pk=sender.pk)
        self.fields["to_organisation"].queryset = qs.order_by("name")
        self.fields["person"].choices = [(str(p.pk), p.full_name) for p in people]
        if len(people) == 1:
            self.fields["person"].initial = str(people[0].pk)

    def clean(self):
        data = super().clean()
        consent = data.get("consent")
        if consent and consent != Consent.GIVEN and not (data.get("lawful_basis") or "").strip():
            self.add_error("lawful_basis", _("Without consent, give the lawful basis for sharing."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the new status.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, ReferralStatus(s).label) for s in allowed]
