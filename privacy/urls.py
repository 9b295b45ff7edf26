from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("retention/", views.retention, name="retention"),
    path("retention/<str:record_type>/<int:pk>/review/", views.review, name="review"),
    path("retention/decisions/<int:pk>/delete/", views.delete, name="delete"),
    path("people/<int:pk>/subject-access/", views.subject_access, name="subject-access"),
    path(
        "people/<int:pk>/subject-access/download/",
        views.subject_access_download,
        name="subject-access-download",
    ),
]
