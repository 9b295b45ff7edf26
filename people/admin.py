"""Admin for people: read-only views with history (changes go through the services and the
pages, never around them)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_policy import PolicyAdminMixin

from .models import Person


class ReadOnlyAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "date_of_birth", "organisation", "merged_into"]
    list_filter = ["organisation"]
    search_fields = ["search_name", "nhs_number"]
    list_select_related = ["organisation", "merged_into"]
