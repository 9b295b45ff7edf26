from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PlaceOfSafety


@admin.register(PlaceOfSafety)
class PlaceOfSafetyAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "kind",
        "organisation",
        "capacity",
        "accepts_under_18",
        "declared_status",
        "active",
    ]
    list_filter = ["kind", "declared_status", "accepts_under_18", "organisation"]
    search_fields = ["name", "address"]
    list_select_related = ["organisation"]
