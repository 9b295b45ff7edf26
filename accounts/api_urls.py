from django.urls import path

from . import api

urlpatterns = [
    path("npus/", api.NPUList.as_view(), name="api-npus"),
]
