from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_search, name="search"),
    path("export.csv", views.audit_search_csv, name="search-csv"),
    path("history/<str:label>/<str:pk>/", views.record_history, name="history"),
    path("access/", views.access_log, name="access-log"),
    path("access/reason/", views.access_reason, name="access-reason"),
]
