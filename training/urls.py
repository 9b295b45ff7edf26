from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("officers/<int:user_id>/", views.officer, name="officer"),
    path("import/", views.import_csv, name="import"),
]
