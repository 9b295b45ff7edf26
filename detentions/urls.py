from django.urls import path

from . import handover_views as handover
from . import reference_views as refs
from . import start_flow
from . import unlawful_views as unlawful
from . import views as v

urlpatterns = [
    path("detentions/", v.board, name="detention-board"),
    path("detentions/board/rows/", v.board_rows, name="detention-board-rows"),
    # Question pages (start_flow.py); the one-page form stays at start/all/.
    path("detentions/start/", start_flow.begin, name="detention-start"),
    path("detentions/start/all/", v.start, name="detention-start-all"),
    path(
        "detentions/start/<slug:draft_id>/check/",
        start_flow.check,
        name="detention-start-check",
    ),
    path(
        "detentions/start/<slug:draft_id>/<slug:slug>/",
        start_flow.step_view,
        name="detention-start-step",
    ),
    path("detentions/unlawful/", unlawful.review_list, name="unlawful-acts"),
    path("detentions/find/", refs.find, name="detention-find"),
    path("detentions/<int:pk>/references/", refs.references, name="detention-references"),
    path("detentions/<int:pk>/", v.detail, name="detention-detail"),
    path("detentions/<int:pk>/arrival/", v.ArrivalView.as_view(), name="detention-arrival"),
    path("detentions/<int:pk>/transfer/", v.TransferView.as_view(), name="detention-transfer"),
    path(
        "detentions/<int:pk>/transfer/arrival/",
        v.TransferArrivalView.as_view(),
        name="detention-transfer-arrival",
    ),
    path(
        "detentions/<int:pk>/welfare-check/",
        v.WelfareCheckView.as_view(),
        name="detention-welfare-check",
    ),
    path("detentions/<int:pk>/review/", v.ReviewView.as_view(), name="detention-review"),
    path(
        "detentions/<int:pk>/transfer-exception/",
        v.TransferExceptionView.as_view(),
        name="detention-transfer-exception",
    ),
    path("detentions/<int:pk>/extension/", v.ExtensionView.as_view(), name="detention-extension"),
    path("detentions/<int:pk>/handover/", v.HandoverView.as_view(), name="detention-handover"),
    path(
        "detentions/<int:pk>/handover/request/",
        handover.request_view,
        name="detention-handover-request",
    ),
    path(
        "detentions/<int:pk>/handover/answer/",
        handover.answer_view,
        name="detention-handover-answer",
    ),
    path(
        "detentions/<int:pk>/handover/accept/",
        handover.quick_accept,
        name="detention-handover-accept",
    ),
    path(
        "detentions/<int:pk>/handover/release/",
        handover.release_view,
        name="detention-handover-release",
    ),
    path("handover/link/<str:token>/", handover.link_view, name="handover-link"),
    path(
        "detentions/<int:pk>/assessment/late/",
        v.LateAssessmentView.as_view(),
        name="detention-late-assessment",
    ),
    path("detentions/<int:pk>/escape/", v.EscapeView.as_view(), name="detention-escape"),
    path("detentions/<int:pk>/return/", v.ReturnView.as_view(), name="detention-return"),
    path("detentions/<int:pk>/end/", v.EndView.as_view(), name="detention-end"),
    path("detentions/<int:pk>/correct/", v.correct, name="detention-correct"),
]
