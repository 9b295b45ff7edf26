from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from rest_framework_api_key.admin import APIKeyModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import NPU, ApiKey, Membership, Organisation, User


class NPUInline(admin.TabularInline):
    model = NPU
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "kind", "active"]
    list_filter = ["kind", "active"]
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
        ("Harbour", {"fields": ("display_name", "collar_number")}),
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
