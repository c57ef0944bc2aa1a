from django.urls import path

from . import views

urlpatterns = [
    path("cycles/<int:cycle_pk>/", views.covenant_for_cycle, name="covenant_for_cycle"),
    path("board/<int:campaign_pk>/", views.covenant_board, name="covenant_board"),
    path("<int:pk>/", views.covenant_detail, name="covenant_detail"),
    path("<int:pk>/edit/", views.covenant_edit, name="covenant_edit"),
    path("<int:pk>/circulate/", views.covenant_circulate, name="covenant_circulate"),
    path("<int:pk>/sign/", views.covenant_sign, name="covenant_sign"),
    path("<int:pk>/sign-token/", views.covenant_sign_token, name="covenant_sign_token"),
    path("<int:pk>/text.<str:kind>", views.covenant_file, name="covenant_file"),
    path(
        "<int:pk>/signatures/<int:signature_pk>/signed.pdf",
        views.covenant_signed_file,
        name="covenant_signed_file",
    ),
    path("<int:pk>/return/", views.covenant_member_return, name="covenant_member_return"),
    path("<int:pk>/submit/", views.covenant_submit, name="covenant_submit"),
    path("<int:pk>/accept/", views.covenant_accept, name="covenant_accept"),
    path("<int:pk>/send-back/", views.covenant_send_back, name="covenant_send_back"),
    path("<int:pk>/correct/", views.covenant_correct, name="covenant_correct"),
]
