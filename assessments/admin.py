from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AmhpServiceArea


@admin.register(AmhpServiceArea)
class AmhpServiceAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "active"]
    list_filter = ["active", "organisation"]
    search_fields = ["name", "organisation__name"]
    list_select_related = ["organisation"]
    filter_horizontal = ["places", "npus"]
