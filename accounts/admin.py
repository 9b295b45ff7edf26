from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from rest_framework_api_key.admin import APIKeyModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    NPU,
    ApiKey,
    ExternalIdentity,
    IdentityProvider,
    Membership,
    Organisation,
    RoleMapping,
    User,
)


class NPUInline(admin.TabularInline):
    model = NPU
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "kind", "active", "local_passwords_allowed"]
    list_filter = ["kind", "active", "local_passwords_allowed"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NPUInline]


@admin.register(NPU)
class NPUAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "force"]
    list_filter = ["force"]
    search_fields = ["code", "name"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "email", "is_active", "is_staff"]
    list_select_related = ["membership__organisation"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Harbour", {"fields": ("display_name", "collar_number", "mobile_number")}),
    )


@admin.register(ApiKey)
class ApiKeyAdmin(APIKeyModelAdmin, SimpleHistoryAdmin):
    list_display = [*APIKeyModelAdmin.list_display, "organisation", "last_used_at"]
    list_filter = [*APIKeyModelAdmin.list_filter, "organisation"]
    fields = [
        "name",
        "organisation",
        "scopes",
        "expiry_date",
        "revoked",
        "prefix",
        "created",
        "last_used_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        # "created" is not editable: listed in `fields`, it must be read-only on the add page too.
        return [*super().get_readonly_fields(request, obj), "created", "last_used_at"]


@admin.register(IdentityProvider)
class IdentityProviderAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "organisation", "issuer", "client_id", "active"]
    list_filter = ["active", "organisation"]
    search_fields = ["slug", "issuer", "client_id", "organisation__name"]
    list_select_related = ["organisation"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["organisation", "slug", "name", "active"]}),
        (
            "Provider",
            {
                "fields": [
                    "issuer",
                    "discovery_url",
                    "authorization_endpoint",
                    "token_endpoint",
                    "userinfo_endpoint",
                    "jwks_uri",
                    "signing_algorithm",
                ]
            },
        ),
        (
            "Client",
            {"fields": ["client_id", "client_secret_env", "token_auth_basic", "scopes"]},
        ),
        ("Claims", {"fields": ["username_claim", "email_claim", "mfa_acr_values"]}),
    ]


@admin.register(RoleMapping)
class RoleMappingAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "claim", "value", "role"]
    list_filter = ["organisation", "role"]
    search_fields = ["value", "organisation__name"]
    list_select_related = ["organisation"]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(SimpleHistoryAdmin):
    """Link an existing user to their provider account here (issuer and subject, exactly)."""

    list_display = ["user", "provider", "subject", "last_sign_in_at"]
    list_filter = ["provider"]
    search_fields = ["user__username", "subject"]
    list_select_related = ["user", "provider__organisation"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "last_sign_in_at"]
