from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("worklist/", views.worklist, name="worklist"),
    path("my-cases/", views.my_cases, name="my_cases"),
    path("delays/", views.delays_report, name="delays"),
    path("detentions/<int:pk>/", views.detail, name="detail"),
    path("detentions/<int:pk>/take/", views.take, name="take"),
    path("detentions/<int:pk>/doctor-take/", views.doctor_take, name="doctor_take"),
    path("detentions/<int:pk>/amhp-arrived/", views.amhp_arrived, name="amhp_arrived"),
    path("detentions/<int:pk>/doctor-arrived/", views.doctor_arrived, name="doctor_arrived"),
    # The task list: one page per task.
    path("detentions/<int:pk>/amhp/", views.amhp_task, name="amhp"),
    path("detentions/<int:pk>/doctors/", views.doctor_task, name="doctor"),
    path("detentions/<int:pk>/times/", views.times_task, name="times"),
    path("detentions/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("detentions/<int:pk>/bed/", views.bed, name="bed"),
    path("detentions/<int:pk>/delays/", views.add_delay, name="add_delay"),
    path("detentions/<int:pk>/delays/<int:delay_pk>/end/", views.end_delay, name="end_delay"),
    path(
        "detentions/<int:pk>/no-mental-disorder/",
        views.no_mental_disorder,
        name="no_mental_disorder",
    ),
]
