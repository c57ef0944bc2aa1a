"""Meeting, ballot and result pages: thin wrappers around the selectors and services.

The meeting page shows how many ballots were cast while a vote is open, never what they say;
choices appear only on the result page, after the close.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from thidua.documents.models import IssuedDocument
from thidua.lib import files
from thidua.lib.dates import today
from thidua.lib.files import Area
from thidua.lib.filetypes import DOCX_CONTENT_TYPE
from thidua.org.models import BlockTerm, Council, User
from thidua.pages.views import form_page, post_action

from . import forms, minutes, selectors, verification
from . import permissions as policy
from .models import Candidate, Meeting, Tally, Vote
from .services import ballots, meetings, votes


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(selectors.meeting_queryset(), pk=pk)


def _vote(pk: str) -> Vote:
    return get_object_or_404(
        Vote.objects.select_related(
            "meeting__term__block__agency", "meeting__council__agency", "item"
        ),
        pk=pk,
    )


def _meeting_url(meeting_id: int) -> str:
    return reverse("voting_meeting", args=[meeting_id])


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    context = {
        "meetings": selectors.meetings_for(request.user),
        "terms": selectors.terms_to_call(request.user),
        "councils": selectors.councils_to_call(request.user, today()),
    }
    return render(request, "voting/meeting_list.html", context)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    viewer = selectors.viewer_of(request.user, meeting)
    if not viewer.may_view:
        raise PermissionDenied
    meeting = selectors.meeting_detail(meeting)
    present, entitled, needed = selectors.quorum_numbers(meeting)
    context = {
        "meeting": meeting,
        "viewer": viewer,
        "present": present,
        "entitled": entitled,
        "needed": needed,
        "has_quorum": entitled > 0 and present >= needed,
        "minutes": minutes.minutes_of(meeting),
        "actions": selectors.meeting_actions(request.user, meeting, viewer),
        "agenda": selectors.agenda_rows(request.user, meeting, viewer),
    }
    return render(request, "voting/meeting.html", context)


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    present = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
    attendees = {
        int(key[9:]): str(value)
        for key, value in request.POST.items()
        if key.startswith("attendee-") and key[9:].isdigit()
    }
    return post_action(
        request,
        lambda: meetings.attendance_record(
            actor=request.user, meeting=meeting, present=present, attendees=attendees
        ),
        success_message=_("Attendance was recorded."),
        done_url=_meeting_url(meeting.pk),
    )


@login_required
@require_POST
def vote_open(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    item = get_object_or_404(meeting.agenda, pk=item_pk)
    mode = request.POST.get("mode", Vote.Mode.ELECTRONIC)
    if mode not in Vote.Mode.values:
        mode = Vote.Mode.ELECTRONIC
    minutes = request.POST.get("minutes", "")
    closes_at = None
    if minutes.isdigit() and int(minutes) > 0:
        closes_at = timezone.now() + dt.timedelta(minutes=int(minutes))
    return post_action(
        request,
        lambda: votes.vote_open(
            actor=request.user, meeting=meeting, item=item, mode=mode, closes_at=closes_at
        ),
        success_message=_("The vote is open."),
        done_url=_meeting_url(meeting.pk),
    )


@login_required
@require_POST
def vote_close(request: HttpRequest, pk: str) -> HttpResponse:
    vote = _vote(pk)
    approved = [int(v) for v in request.POST.getlist("chair_approved") if v.isdigit()]
    return post_action(
        request,
        lambda: votes.vote_close(actor=request.user, vote=vote, chair_approved=approved),
        success_message=_("The vote is closed and counted."),
        done_url=reverse("voting_result", args=[vote.pk]),
        refused_url=_meeting_url(vote.meeting_id),
    )


@login_required
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    form = forms.MeetingCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the times as hours and minutes, e.g. 11:30."))
        return redirect(_meeting_url(meeting.pk))
    return post_action(
        request,
        lambda: meetings.meeting_close(actor=request.user, meeting=meeting, **form.cleaned_data),
        success_message=_("The meeting is closed."),
        done_url=_meeting_url(meeting.pk),
    )


@login_required
def vote_count(request: HttpRequest, pk: str) -> HttpResponse:
    """The live count for the chair's page (htmx): how many, never what."""
    vote = _vote(pk)
    if not policy.may_run(request.user, vote.meeting):
        raise PermissionDenied
    return render(request, "voting/_count.html", {"vote": vote})


@sensitive_post_parameters()  # an error report never shows a choice
@login_required
def ballot(request: HttpRequest, pk: str) -> HttpResponse:
    vote = _vote(pk)
    lines = selectors.entitlements_of(request.user, vote.meeting)
    if not lines:
        raise PermissionDenied
    voted = selectors.voted_lines(vote, lines)
    if request.method == "POST":
        line_pk = request.POST.get("line")
        line = next((x for x in lines if str(x.pk) == line_pk), None) if line_pk else None
        try:
            ballots.ballot_cast(
                actor=request.user,
                vote=vote,
                entitlement=line,
                agree=_marked(request, "agree"),
                disagree=_marked(request, "disagree"),
                chosen=_ints(request.POST.getlist("chosen")),
            )
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
        else:
            # Nothing about the choice: no receipt that could prove it.
            messages.success(request, _("Your ballot was counted."))
        return redirect("voting_ballot", pk=vote.pk)
    context = {
        "vote": vote,
        "style": vote.rule_snapshot["ballot_style"],
        "candidates": vote.candidates.select_related("unit").order_by("order"),
        "lines": [x for x in lines if x.pk not in voted],
        "all_voted": len(voted) == len(lines),
        "problem": ballots.ballot_window_problem(vote, timezone.now()),
    }
    return render(request, "voting/ballot.html", context)


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


def _marked(request: HttpRequest, answer: str) -> list[int]:
    """Agree/disagree ballots post one radio group per candidate: choice-<id>=agree."""
    return [
        int(key[7:])
        for key, value in request.POST.items()
        if key.startswith("choice-") and key[7:].isdigit() and value == answer
    ]


@login_required
def vote_result(request: HttpRequest, pk: str) -> HttpResponse:
    vote = _vote(pk)
    if not selectors.viewer_of(request.user, vote.meeting).may_view:
        raise PermissionDenied
    tally = getattr(vote, "tally", None)
    context = {
        "vote": vote,
        "tally": tally,
        "may_decide": tally is not None and policy.may_decide(request.user, vote),
        "minutes": minutes.minutes_of(vote.meeting),
        "tally_minutes": minutes.tally_minutes_of(vote) if tally else None,
        "may_issue_minutes": tally is not None
        and policy.may_issue_minutes(request.user, vote.meeting),
        "rows": selectors.tally_rows(tally) if tally else [],
        "who_voted": selectors.who_voted(vote),
    }
    return render(request, "voting/result.html", context)


@login_required
def vote_verify(request: HttpRequest, pk: str) -> HttpResponse:
    """Re-verify a closed vote: chain, counts, recount (see voting/verification.py)."""
    vote = _vote(pk)
    if not selectors.viewer_of(request.user, vote.meeting).may_view:
        raise PermissionDenied
    result = verification.vote_verify(vote)
    labels = dict(vote.candidates.values_list("pk", "label"))
    ballots = [(b, selectors.ballot_labels(b.choices, labels)) for b in result.ballots]
    context = {"vote": vote, "result": result, "ballots": ballots}
    return render(request, "voting/verify.html", context)


@login_required
def paper_tally(request: HttpRequest, pk: str) -> HttpResponse:
    vote = _vote(pk)
    if not policy.may_enter_paper(request.user, vote.meeting):
        raise PermissionDenied
    form = forms.PaperTallyForm(request.POST or None, vote=vote)
    return form_page(
        request,
        form,
        title=_("Enter the paper tally"),
        intro=_("%(item)s, round %(round)d: the counts from the paper ballots.")
        % {"item": vote.item.title, "round": vote.round_number},
        save=lambda data: votes.paper_tally_enter(
            actor=request.user,
            vote=vote,
            ballots_returned=data["ballots_returned"],
            blank=data["blank"],
            spoilt=data["spoilt"],
            counts=form.counts(),
        ),
        success=lambda _tally: reverse("voting_result", args=[vote.pk]),
        success_message=_("The paper tally was recorded."),
        cancel_url=_meeting_url(vote.meeting_id),
    )


@login_required
def meeting_new(request: HttpRequest, term_pk: int) -> HttpResponse:
    """The block leader (or the secretariat) calls the block's year-end review."""
    term = get_object_or_404(BlockTerm.objects.select_related("block__agency"), pk=term_pk)
    if not policy.may_call(request.user, agency=term.block.agency, term=term):
        raise PermissionDenied
    member_ids = term.memberships.values_list("unit_id", flat=True)
    people = User.objects.filter(
        Q(role_assignments__unit_id__in=member_ids) | Q(pk=request.user.pk)
    ).distinct()
    rule = selectors.voting_rule_in_force("block-leading-unit", today())
    form = forms.MeetingForm(
        request.POST or None,
        people=people,
        initial={
            "title": _("Year-end review of %(block)s, %(year)s")
            % {"block": term.block.name, "year": term.year},
            "chair": request.user.pk,
            "rule": rule.pk if rule else None,
        },
    )
    return form_page(
        request,
        form,
        title=_("Call the year-end review meeting"),
        intro=str(term),
        save=lambda data: meetings.meeting_create(actor=request.user, term=term, **data),
        success=lambda meeting: _meeting_url(meeting.pk),
        success_message=_("The meeting was created with its roll."),
    )


@login_required
def council_meeting_new(request: HttpRequest) -> HttpResponse:
    """The secretariat, or the council's chair or vice-chair, calls a session of the council
    (?council=<pk> when they may call more than one); the service builds the roll from the
    council's sitting members."""
    day = today()
    council = selectors.council_to_call(request.user, day, request.GET.get("council", ""))
    if council is None:
        raise PermissionDenied
    rules = selectors.council_rules(day)
    form = forms.council_meeting_form(
        request.POST or None, user=request.user, council=council, rules=rules, day=day
    )
    return form_page(
        request,
        form,
        title=_("Call a council session"),
        intro=council.name,
        save=lambda data: _council_meeting_create(request, council, data),
        success=lambda meeting: _meeting_url(meeting.pk),
        success_message=_("The meeting was created with its roll."),
        cancel_url=reverse("voting_meetings"),
        template="voting/council_meeting_new.html",
        extra={"rules": rules, "submit_label": _("Call the session")},
    )


@transaction.atomic
def _council_meeting_create(request: HttpRequest, council: Council, data: dict) -> Meeting:
    """A double click or a resent form finds the session the first one called: the council
    row is locked so two requests at once see each other's meeting."""
    Council.objects.select_for_update().filter(pk=council.pk).first()
    same = Meeting.objects.filter(
        council=council,
        held_on=data["held_on"],
        title=data["title"].strip(),
        status=Meeting.Status.PLANNED,
    ).first()
    if same is not None and policy.may_call(
        request.user, agency=council.agency, council=council, on=data["held_on"]
    ):
        return same
    return meetings.meeting_create(actor=request.user, council=council, **data)


@login_required
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    if not policy.may_run(request.user, meeting):
        raise PermissionDenied
    form = forms.AgendaItemForm(request.POST or None, units=selectors.agenda_units(meeting))

    def save(data: dict) -> object:
        return meetings.agenda_item_add(
            actor=request.user,
            meeting=meeting,
            title=data["title"],
            seats=data["seats"],
            candidates=meetings.agenda_candidates(meeting, data["units"]),
        )

    return form_page(
        request,
        form,
        title=_("Add an agenda item"),
        intro=meeting.title,
        save=save,
        success=lambda _item: _meeting_url(meeting.pk),
        success_message=_("The agenda item was added."),
        cancel_url=_meeting_url(meeting.pk),
    )


@login_required
def tally_decide(request: HttpRequest, pk: str) -> HttpResponse:
    vote = _vote(pk)
    if not policy.may_decide(request.user, vote):
        raise PermissionDenied
    tally = get_object_or_404(Tally, vote=vote)
    form = forms.DecideForm(
        request.POST or None, candidates=Candidate.objects.filter(pk__in=tally.tied)
    )
    return form_page(
        request,
        form,
        title=_("Settle the tie after the last round"),
        intro=vote.item.title,
        save=lambda data: votes.tally_decide(
            actor=request.user, vote=vote, candidates=list(data["candidates"]), note=data["note"]
        ),
        success=lambda _tally: reverse("voting_result", args=[vote.pk]),
        success_message=_("The decision was recorded."),
        cancel_url=reverse("voting_result", args=[vote.pk]),
    )


@login_required
@require_POST
def minutes_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the meeting's minutes; a second press returns the same document."""
    meeting = _meeting(pk)
    return post_action(
        request,
        lambda: minutes.minutes_issue(actor=request.user, meeting=meeting),
        success_message=_("The minutes were issued."),
        done_url=_meeting_url(meeting.pk),
    )


@login_required
def minutes_download(request: HttpRequest, pk: int, extension: str) -> HttpResponseBase:
    """The minutes for everyone who may see the meeting (the registry's own download is for
    the secretariat only): they hold counts and names of those present, never a choice."""
    meeting = _meeting(pk)
    if not selectors.viewer_of(request.user, meeting).may_view:
        raise PermissionDenied
    return _document_file(minutes.minutes_of(meeting), extension)


def _document_file(document: IssuedDocument | None, extension: str) -> FileResponse:
    relative = (
        {"docx": document.docx_path, "pdf": document.pdf_path}.get(extension) if document else ""
    )
    if not document or not relative:
        raise Http404
    return files.file_response(
        Area.DOCUMENTS,
        relative,
        filename=minutes.download_name(document, extension),
        content_type=DOCX_CONTENT_TYPE if extension == "docx" else "application/pdf",
    )


@login_required
@require_POST
def tally_minutes_issue(request: HttpRequest, pk: str) -> HttpResponse:
    """Issue the vote's tally minutes; a second press returns the same document."""
    vote = _vote(pk)
    return post_action(
        request,
        lambda: minutes.tally_minutes_issue(actor=request.user, vote=vote),
        success_message=_("The tally minutes were issued."),
        done_url=reverse("voting_result", args=[vote.pk]),
    )


@login_required
def tally_minutes_download(request: HttpRequest, pk: str, extension: str) -> HttpResponseBase:
    """The tally minutes for everyone who may see the meeting, like the minutes."""
    vote = _vote(pk)
    if not selectors.viewer_of(request.user, vote.meeting).may_view:
        raise PermissionDenied
    return _document_file(minutes.tally_minutes_of(vote), extension)
