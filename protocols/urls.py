from django.urls import path

from . import views

app_name = "protocols"

urlpatterns = [
    path("", views.protocol_list, name="list"),
    path("overdue/", views.overdue, name="overdue"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/new-version/", views.new_version, name="new_version"),
    path("<int:pk>/document/", views.download, name="download"),
]
