from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("channels/", views.channels, name="channels"),
]
