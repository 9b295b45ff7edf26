from django.urls import include, path

urlpatterns = [
    path("", include("incidents.api.detention_urls")),  # people/, detentions/ and their events
    path("", include("incidents.api.incident_urls")),  # incidents/
]
