from django.urls import path

from . import views as ppl

urlpatterns = [
    path("people/", ppl.people_search, name="people-search"),
    path("people/repeated-contact/", ppl.repeated_contact, name="people-repeated-contact"),
    path("people/<int:pk>/", ppl.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", ppl.person_edit, name="person-edit"),
    path("people/<int:pk>/merge/<int:other_pk>/", ppl.person_merge, name="person-merge"),
]
