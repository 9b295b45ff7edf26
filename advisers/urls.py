from django.urls import path

from . import views

app_name = "advisers"

urlpatterns = [
    path("roster/", views.roster, name="roster"),
    path("roster/shifts/new/", views.shift_new, name="shift_new"),
    path("roster/shifts/<int:pk>/", views.shift_edit, name="shift_edit"),
    path("roster/shifts/<int:pk>/delete/", views.shift_delete, name="shift_delete"),
    path("request/", views.request_advice, name="request"),
]
