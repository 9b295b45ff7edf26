from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_policy import PolicyAdminMixin

from .models import Export, PopulationFigure


@admin.register(PopulationFigure)
class PopulationFigureAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    list_display = ["organisation", "group", "population", "source_year", "source"]
    list_filter = ["organisation", "group", "source_year"]


@admin.register(Export)
class ExportAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    list_display = ["kind", "organisation", "owner", "status", "created_at", "finished_at"]
    list_filter = ["status", "kind", "organisation"]
    readonly_fields = [f.name for f in Export._meta.fields]

    def has_add_permission(self, request):
        return False
