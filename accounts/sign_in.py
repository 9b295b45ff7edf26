"""The sign-in page ("Sign in with <organisation>" beside the password form) and the page where
an organisation's administrators map their identity provider's groups or claims to roles."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .models import RoleMapping
from .oidc import active_providers
from .permissions import Perm, perm_required
from .roles import ROLE_ORGANISATION_KINDS, Role
from .views import _organisation


class SignInView(LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["providers"] = list(active_providers())
        return context


_TEXT = {"class": "govuk-input govuk-!-width-two-thirds", "spellcheck": "false"}


class RoleMappingForm(forms.ModelForm):
    class Meta:
        model = RoleMapping
        fields = ["claim", "value", "role"]
        labels = {
            "claim": gettext_lazy("Claim"),
            "value": gettext_lazy("Value"),
            "role": gettext_lazy("Role in Harbour"),
        }
        widgets = {
            "claim": forms.TextInput(_TEXT),
            "value": forms.TextInput(_TEXT),
        }
        help_texts = {
            "claim": gettext_lazy(
                "The name of the claim in the ID token, usually groups (Entra ID) or roles."
            ),
            "value": gettext_lazy(
                "The value that gives the role, for example the group's object id."
            ),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["role"].choices = [("", _("Choose a role"))] + [
            (r.value, r.label)
            for r in Role
            if organisation.kind in ROLE_ORGANISATION_KINDS[r]  # roles that fit the organisation
        ]
        self.fields["claim"].initial = None  # never pre-selected

    def validate_unique(self):
        # organisation is not a form field: check the constraint here with a plain message.
        super().validate_unique()
        data = self.cleaned_data
        if {"claim", "value", "role"} <= set(data) and RoleMapping.objects.filter(
            organisation=self.instance.organisation,
            claim=data["claim"],
            value=data["value"],
            role=data["role"],
        ).exists():
            self.add_error("value", _("This value already gives this role."))


@perm_required(Perm.MANAGE_ORGANISATION)
def sign_in_settings(request):
    """The organisation's identity providers (set up in the admin) and its role mappings."""
    org = _organisation(request)
    form = RoleMappingForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        mapping = form.save()
        messages.success(
            request,
            _("%(claim)s = %(value)s now gives the role %(role)s.")
            % {"claim": mapping.claim, "value": mapping.value, "role": mapping.get_role_display()},
        )
        return redirect("sign-in-settings")
    return render(
        request,
        "accounts/sign_in_settings.html",
        {
            "organisation": org,
            "providers": list(org.identity_providers.order_by("slug")),
            "mappings": list(RoleMapping.objects.filter(organisation=org)),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@perm_required(Perm.MANAGE_ORGANISATION)
def role_mapping_delete(request, pk):
    mapping = get_object_or_404(RoleMapping, pk=pk, organisation=_organisation(request))
    mapping.delete()
    messages.success(
        request,
        _("%(claim)s = %(value)s no longer gives the role %(role)s.")
        % {"claim": mapping.claim, "value": mapping.value, "role": mapping.get_role_display()},
    )
    return redirect("sign-in-settings")
