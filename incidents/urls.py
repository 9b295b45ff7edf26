from django.urls import include, path

urlpatterns = [
    path("", include("incidents.detention_urls")),  # detention pages and the active board
    path("", include("incidents.incident_urls")),  # incident and people pages
]
