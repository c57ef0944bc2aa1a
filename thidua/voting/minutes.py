"""The meeting minutes (Biên bản họp, type BB) of a closed meeting, through the document
engine: `selectors.minutes_inputs` gives the numbers (attendance, counts per candidate,
thresholds, result, the chain head of each vote, a line when the result differs from the
block's ranking), `voting.documents.meeting_minutes_document` lays them out for
bien_ban.docx, and `documents.services.document_issue` numbers, renders and registers them.

The tally minutes (Biên bản kiểm phiếu, also type BB) are a document of their own, one per
closed vote (each round of a runoff has its own count): who counted, ballots issued,
received, valid and invalid, the threshold and its base, the count per candidate, who
passed, and the chain head of the electronic ballots or "kiểm phiếu giấy". The meeting has
no separate counting board (ban kiểm phiếu) in the data, so its chair heads the board and
its secretary counts with them.

Who issues: the secretary of that meeting, who writes its minutes, or the secretariat
(permissions.may_issue_minutes); the registry is told the meeting's rule authorised them,
and numbers the document in the agency's book either way.

One meeting has one set of minutes and one vote one tally minutes: the registry key is
derived from the meeting or the vote, so a double click or a retry returns the document the
first press issued. Nothing here reads a ballot: the minutes carry counts and the chain
head, never who chose what.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from thidua.campaigns.models import Campaign
from thidua.documents import services
from thidua.documents.models import IssuedDocument
from thidua.lib.dates import today
from thidua.org.permissions import Actor

from . import documents, selectors
from . import permissions as policy
from . import tally as pure
from .models import Meeting, Tally, TallyRow, Vote

TEMPLATE = "bien_ban.docx"
TALLY_TEMPLATE = "bien_ban_kiem_phieu.docx"
TYPE_CODE = "BB"


def minutes_key(meeting: Meeting) -> str:
    return f"voting:meeting:{meeting.pk}:minutes"


def minutes_of(meeting: Meeting) -> IssuedDocument | None:
    """The minutes issued for the meeting, if any."""
    return (
        IssuedDocument.objects.filter(idempotency_key=minutes_key(meeting))
        .select_related("doc_type", "issuer")
        .first()
    )


download_name = services.download_name


def _on_the_day(moment: dt.datetime | None, day: dt.date) -> dt.datetime | None:
    """The moment in local time if it fell on `day`, else None."""
    if moment is None:
        return None
    local = timezone.localtime(moment).replace(tzinfo=None)
    return local if local.date() == day else None


def _times(meeting: Meeting) -> tuple[dt.datetime | dt.date, dt.datetime | dt.date]:
    """When the meeting began and ended, for its minutes: the times recorded on the meeting,
    else those of its electronic votes held that day. A time still unknown is the day alone,
    and the minutes leave the hour for the secretary to write by hand: a paper count entered
    on a later day says nothing about when the meeting sat."""
    day = meeting.held_on
    electronic = [v for v in meeting.votes.all() if v.mode == Vote.Mode.ELECTRONIC]
    opened = sorted(m for v in electronic if (m := _on_the_day(v.opens_at, day)))
    closed = sorted(m for v in electronic if (m := _on_the_day(v.closed_at, day)))
    start: dt.datetime | dt.date = (
        dt.datetime.combine(day, meeting.starts_at)
        if meeting.starts_at
        else opened[0]
        if opened
        else day
    )
    end: dt.datetime | dt.date = (
        dt.datetime.combine(day, meeting.ended_at)
        if meeting.ended_at
        else closed[-1]
        if closed
        else day
    )
    return start, end


def _body_names(meeting: Meeting) -> tuple[str, str, int]:
    """(name, symbol, year) of the block or council holding the meeting."""
    if meeting.term_id:
        term = meeting.term
        return term.block.name, term.block.code, term.year  # type: ignore[union-attr]
    council = meeting.council
    return council.name, "HĐTĐKT", meeting.held_on.year  # type: ignore[union-attr]


def minutes_context(meeting: Meeting, *, number: str | None = None) -> dict[str, Any]:
    """The bien_ban.docx context of a closed meeting (the number blank for a preview),
    in Vietnamese whatever the language of the one who issues it."""
    with translation.override("vi"):
        return _minutes_context(meeting, number)


def _minutes_context(meeting: Meeting, number: str | None) -> dict[str, Any]:
    inputs = selectors.minutes_inputs(meeting)
    name, symbol, year = _body_names(meeting)
    started, ended = _times(meeting)
    chair, secretary = meeting.chair, meeting.secretary
    minutes = documents.MeetingMinutes(
        agency_name=meeting.agency.name,
        block_name=name,
        block_symbol=symbol,
        year=year,
        number=number,
        started=started,
        ended=ended,
        venue=meeting.place or "",
        chair={"name": _person_name(chair), "position": "Chủ trì cuộc họp"},
        secretary={"name": _person_name(secretary), "position": "Thư ký cuộc họp"},
        attendees=inputs["attendees"],
        total_members=max(inputs["total_members"], 1),
        absent=inputs["absent"],
        agenda=[f"{i}. {title}" for i, title in enumerate(inputs["agenda"], start=1)],
        discussion=_discussion(meeting),
        ballots_issued=inputs["ballots_issued"],
        ballots_valid=inputs["ballots_valid"],
        ballot=inputs["ballot"],
        conclusion=inputs["conclusion"],
        recipients=["Các đơn vị thành viên", "Thường trực Hội đồng Thi đua – Khen thưởng"],
    )
    return documents.meeting_minutes_document(minutes)


def _person_name(user: Any) -> str:
    return (getattr(user, "full_name", "") or str(user)).strip()


def _discussion(meeting: Meeting) -> list[str]:
    """One line per vote held, every round, so a runoff shows in the minutes."""
    lines = []
    votes = Vote.objects.filter(meeting=meeting).select_related("item", "tally")
    for vote in votes.order_by("item__order", "round_number"):
        tally = getattr(vote, "tally", None)
        if tally is None:
            continue
        form = "phiếu giấy" if tally.is_paper else "phiếu kín điện tử"
        lines.append(
            f"{vote.item.title}: bỏ phiếu lần {vote.round_number} ({form}), "
            f"{tally.voters}/{tally.present} đại biểu có mặt bỏ phiếu, "
            f"kết quả: {tally.get_outcome_display()}."
        )
    return lines


def _signer(meeting: Meeting) -> tuple[str, str]:
    return _person_name(meeting.chair), "Chủ trì cuộc họp"


def minutes_issue(*, actor: Actor, meeting: Meeting) -> IssuedDocument:
    """Issue the minutes of a closed meeting (the DOCX now, the PDF queued). Idempotent: a
    second call returns the first call's document."""
    meeting = Meeting.objects.select_related(
        "term__block__agency", "council__agency", "chair", "secretary"
    ).get(pk=meeting.pk)
    if not policy.may_issue_minutes(actor, meeting):
        raise PermissionDenied(
            _("Only the meeting's secretary or the secretariat may issue the minutes.")
        )
    existing = minutes_of(meeting)
    if existing is not None:
        return existing
    if meeting.status != Meeting.Status.CLOSED:
        raise ValidationError(_("Close the meeting before issuing its minutes."))
    if not selectors.final_votes(meeting):
        raise ValidationError(_("No vote was counted in this meeting; there are no minutes."))
    body = services.issuing_body_of(meeting.agency)
    context = minutes_context(meeting)
    record, template = services.choose_template(TEMPLATE, body)
    name, title = _signer(meeting)
    campaign = Campaign.objects.filter(agency=meeting.agency, year=meeting.held_on.year).first()
    with transaction.atomic():
        return services.document_issue(
            actor=actor,
            issuer=body,
            doc_type_code=TYPE_CODE,
            issued_on=today(),
            summary=context["summary"],
            signer_name=name,
            signer_title=title,
            idempotency_key=minutes_key(meeting),
            render=services.registry_renderer(TEMPLATE, template, context),
            make_pdf=True,
            campaign=campaign,
            block=meeting.term.block if meeting.term_id else None,  # type: ignore[union-attr]
            template=record,
            authorised=True,
        )


# The tally minutes (biên bản kiểm phiếu) ------------------------------------------------------


def tally_minutes_key(vote: Vote) -> str:
    return f"voting:vote:{vote.pk}:tally-minutes"


def tally_minutes_of(vote: Vote) -> IssuedDocument | None:
    """The tally minutes issued for the vote, if any."""
    return (
        IssuedDocument.objects.filter(idempotency_key=tally_minutes_key(vote))
        .select_related("doc_type", "issuer")
        .first()
    )


def tally_minutes_context(vote: Vote, *, number: str | None = None) -> dict[str, Any]:
    """The bien_ban_kiem_phieu.docx context of a counted vote, in Vietnamese whatever the
    language of the one who issues it."""
    with translation.override("vi"):
        return _tally_minutes_context(vote, number)


def _tally_minutes_context(vote: Vote, number: str | None) -> dict[str, Any]:
    meeting = vote.meeting
    tally: Tally = vote.tally
    rows = list(tally.rows.select_related("candidate").order_by("-votes", "candidate__order"))
    rule = pure.Rule.from_snapshot(vote.rule_snapshot)
    base = rows[0].base if rows else pure.base_of(rule, _counts(tally))
    name, symbol, _year = _body_names(meeting)
    counted = (
        _on_the_day(vote.closed_at, meeting.held_on) if vote.mode == Vote.Mode.ELECTRONIC else None
    )
    if counted is None and meeting.ended_at is not None:
        counted = dt.datetime.combine(meeting.held_on, meeting.ended_at)
    minutes = documents.TallyMinutes(
        agency_name=meeting.agency.name,
        block_name=name,
        block_symbol=symbol,
        number=number,
        meeting=meeting.title,
        subject=vote.item.title,
        round_number=vote.round_number,
        counted=counted or meeting.held_on,
        venue=meeting.place or "",
        # No counting board is recorded for a meeting: its chair heads the count and its
        # secretary, who keeps the paper count too, is the board's member.
        head={"name": _person_name(meeting.chair), "position": "Chủ trì cuộc họp"},
        members=[{"name": _person_name(meeting.secretary), "position": "Thư ký cuộc họp"}],
        entitled=tally.entitled,
        present=tally.present,
        ballots_issued=tally.present,
        ballots_received=tally.ballots,
        valid=tally.valid,
        blank=tally.blank,
        spoilt=tally.spoilt,
        paper=tally.is_paper,
        chain_head=tally.chain_head,
        threshold=pure.threshold_text(rule, base),
        needed=pure.votes_needed(rule, base),
        tally=[
            {
                "name": row.candidate.label,
                "votes": row.votes,
                "percent": float(row.percent),
                "passed": row.passed,
                "elected": row.elected,
            }
            for row in rows
        ],
        conclusion=_tally_conclusion(vote, tally, rows),
        differs_from_ranking=tally.differs_from_ranking,
        recipients=["Các đơn vị thành viên", "Thường trực Hội đồng Thi đua – Khen thưởng"],
    )
    return documents.tally_minutes_document(minutes)


def _counts(tally: Tally) -> pure.Counts:
    return pure.Counts(
        entitled=tally.entitled,
        present=tally.present,
        ballots=tally.ballots,
        votes={},
        blank=tally.blank,
        spoilt=tally.spoilt,
    )


def _tally_conclusion(vote: Vote, tally: Tally, rows: list[TallyRow]) -> list[str]:
    chosen = [row.candidate.label for row in rows if row.elected]
    lines = []
    if chosen:
        lines.append("Đạt tỷ lệ phiếu quy định và được chọn: " + "; ".join(chosen) + ".")
    elif tally.outcome == Tally.Outcome.NONE:
        lines.append("Không có trường hợp nào đạt tỷ lệ phiếu quy định.")
    if tally.outcome == Tally.Outcome.RUNOFF:
        tied = [row.candidate.label for row in rows if row.candidate_id in set(tally.tied)]
        lines.append(
            "Các trường hợp bằng phiếu ở vị trí cuối cùng được bỏ phiếu lại (lần bỏ phiếu thứ "
            f"{vote.round_number + 1}): " + "; ".join(tied) + "."
        )
    if tally.decided_by_id:
        lines.append(
            f"Bằng phiếu sau lần bỏ phiếu cuối cùng; {_person_name(tally.decided_by)} quyết "
            f"định: {tally.decision_note}."
        )
    return lines


def tally_minutes_issue(*, actor: Actor, vote: Vote) -> IssuedDocument:
    """Issue the tally minutes of a closed vote (the DOCX now, the PDF queued). Idempotent: a
    second call returns the first call's document."""
    vote = Vote.objects.select_related(
        "item",
        "meeting__term__block__agency",
        "meeting__council__agency",
        "meeting__chair",
        "meeting__secretary",
        "tally__decided_by",
    ).get(pk=vote.pk)
    meeting = vote.meeting
    if not policy.may_issue_minutes(actor, meeting):
        raise PermissionDenied(
            _("Only the meeting's secretary or the secretariat may issue the tally minutes.")
        )
    existing = tally_minutes_of(vote)
    if existing is not None:
        return existing
    tally = getattr(vote, "tally", None)
    if vote.status != Vote.Status.CLOSED or tally is None:
        raise ValidationError(_("Close the vote before issuing its tally minutes."))
    if tally.outcome == Tally.Outcome.DECIDERS and not tally.decided_by_id:
        raise ValidationError(
            _("Record the decision on the tie first: the tally minutes must state the result.")
        )
    body = services.issuing_body_of(meeting.agency)
    context = tally_minutes_context(vote)
    record, template = services.choose_template(TALLY_TEMPLATE, body)
    name = _person_name(meeting.chair)
    campaign = Campaign.objects.filter(agency=meeting.agency, year=meeting.held_on.year).first()
    with transaction.atomic():
        return services.document_issue(
            actor=actor,
            issuer=body,
            doc_type_code=TYPE_CODE,
            issued_on=today(),
            summary=context["summary"],
            signer_name=name,
            signer_title="Trưởng ban kiểm phiếu",
            idempotency_key=tally_minutes_key(vote),
            render=services.registry_renderer(TALLY_TEMPLATE, template, context),
            make_pdf=True,
            campaign=campaign,
            block=meeting.term.block if meeting.term_id else None,  # type: ignore[union-attr]
            template=record,
            authorised=True,
        )
