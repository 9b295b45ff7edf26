"""Approval pages (`/approvals/`): detentions/approval_views.py."""

from django.urls import path

from . import approval_views as views

app_name = "approvals"

urlpatterns = [
    path("", views.waiting, name="waiting"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("detentions/<int:pk>/ask/", views.ask, name="ask"),
    path("detentions/<int:pk>/on-word/", views.on_word, name="on_word"),
]
