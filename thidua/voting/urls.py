from django.urls import path

from . import views

urlpatterns = [
    path("", views.meeting_list, name="voting_meetings"),
    path("terms/<int:term_pk>/new/", views.meeting_new, name="voting_meeting_new"),
    path("council/new/", views.council_meeting_new, name="voting_council_meeting_new"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="voting_agenda_add"),
    path("votes/<uuid:pk>/decide/", views.tally_decide, name="voting_decide"),
    path("meetings/<int:pk>/", views.meeting_detail, name="voting_meeting"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="voting_attendance"),
    path("meetings/<int:pk>/close/", views.meeting_close, name="voting_meeting_close"),
    path("meetings/<int:pk>/items/<int:item_pk>/open/", views.vote_open, name="voting_vote_open"),
    path("meetings/<int:pk>/minutes/", views.minutes_issue, name="voting_minutes_issue"),
    path(
        "meetings/<int:pk>/minutes.<slug:extension>",
        views.minutes_download,
        name="voting_minutes_download",
    ),
    path("votes/<uuid:pk>/ballot/", views.ballot, name="voting_ballot"),
    path("votes/<uuid:pk>/count/", views.vote_count, name="voting_count"),
    path("votes/<uuid:pk>/close/", views.vote_close, name="voting_vote_close"),
    path("votes/<uuid:pk>/result/", views.vote_result, name="voting_result"),
    path("votes/<uuid:pk>/verify/", views.vote_verify, name="voting_verify"),
    path("votes/<uuid:pk>/paper/", views.paper_tally, name="voting_paper"),
    path(
        "votes/<uuid:pk>/tally-minutes/",
        views.tally_minutes_issue,
        name="voting_tally_minutes_issue",
    ),
    path(
        "votes/<uuid:pk>/tally-minutes.<slug:extension>",
        views.tally_minutes_download,
        name="voting_tally_minutes_download",
    ),
]
