"""The read path of covenants: one covenant with its panels, and the board of all blocks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from thidua.campaigns.models import BlockCycle, Campaign, Milestone
from thidua.lib import dates
from thidua.org.models import Unit
from thidua.org.permissions import (
    headed_unit_ids,
    is_block_leader,
    is_council_member_of,
    is_secretariat_of,
)

from .models import Covenant, CovenantReturn, Signature


@dataclass
class MemberRow:
    unit: Unit
    signature: Signature | None = None
    returned: CovenantReturn | None = None
    stale: list[Signature] = field(default_factory=list)

    @property
    def signed(self) -> bool:
        return self.signature is not None


@dataclass
class Viewer:
    is_leader: bool
    is_secretariat: bool
    sign_units: list[Unit]

    @property
    def may_view(self) -> bool:
        return self.is_leader or self.is_secretariat or bool(self.sign_units)


def covenant_queryset() -> Any:
    return Covenant.objects.select_related(
        "term__block__agency", "term__leader", "term__deputy", "cycle", "previous"
    ).prefetch_related(
        "items",
        Prefetch("term__memberships__unit"),
        Prefetch(
            "signatures",
            queryset=Signature.objects.select_related("unit", "signer", "signed_pdf"),
        ),
        "signatures__signed_pdf__signatures",
        Prefetch("returns", queryset=CovenantReturn.objects.select_related("unit", "by")),
    )


def current_covenant(cycle: BlockCycle) -> Covenant | None:
    """The version in force or in progress: the newest one."""
    return covenant_queryset().filter(term_id=cycle.term_id).order_by("-version").first()


def member_rows(covenant: Covenant) -> list[MemberRow]:
    """Per member unit: its valid signature on the current text, signatures that a text
    change invalidated, and its return of the current revision if any."""
    rows = {m.unit_id: MemberRow(m.unit) for m in covenant.term.memberships.all()}
    for signature in covenant.signatures.all():
        row = rows.get(signature.unit_id)
        if row is None:
            continue
        if signature.is_valid and signature.text_hash == covenant.text_hash:
            row.signature = signature
        else:
            row.stale.append(signature)
    if covenant.status == Covenant.Status.DRAFT:
        for returned in covenant.returns.all():
            if returned.unit_id in rows and returned.revision == covenant.revision:
                rows[returned.unit_id].returned = returned
    return sorted(rows.values(), key=lambda r: r.unit.code)


def viewer_of(user: Any, covenant: Covenant) -> Viewer:
    term = covenant.term
    member_ids = {m.unit_id for m in term.memberships.all()}
    headed = headed_unit_ids(user) & member_ids
    units = [m.unit for m in term.memberships.all() if m.unit_id in headed]
    secretariat = is_secretariat_of(user, term.block.agency) or is_council_member_of(
        user, term.block.agency
    )
    return Viewer(is_block_leader(user, term), secretariat, units)


@dataclass(frozen=True)
class CovenantActions:
    """What a person may do on one covenant now; the detail page shows exactly these."""

    edit: bool = False
    circulate: bool = False
    submit: bool = False
    correct: bool = False
    sign: bool = False
    accept: bool = False
    send_back: bool = False
    board: bool = False


def actions_for(viewer: Viewer, status: str, *, fully_signed: bool) -> CovenantActions:
    """The actions open to `viewer` on a covenant in `status` (pure: no database)."""
    Status = Covenant.Status
    leader = viewer.is_leader
    secretariat = viewer.is_secretariat
    return CovenantActions(
        edit=leader and status == Status.DRAFT,
        circulate=leader and status == Status.DRAFT,
        submit=leader and status == Status.SIGNING and fully_signed,
        correct=leader and status == Status.ACCEPTED,
        sign=bool(viewer.sign_units) and status == Status.SIGNING,
        accept=secretariat and status == Status.SUBMITTED,
        send_back=secretariat and status == Status.SUBMITTED,
        board=leader or secretariat,
    )


def covenant_actions(
    user: Any, covenant: Covenant, *, viewer: Viewer | None = None
) -> CovenantActions:
    """The actions `user` may take on `covenant` (pass `viewer` when already computed)."""
    viewer = viewer or viewer_of(user, covenant)
    fully_signed = covenant.status == Covenant.Status.SIGNING and not missing_signatures(covenant)
    return actions_for(viewer, covenant.status, fully_signed=fully_signed)


def missing_signatures(covenant: Covenant) -> list[Unit]:
    """The member units without a valid signature on the current text."""
    signed = set(
        covenant.signatures.filter(
            invalidated_at__isnull=True, text_hash=covenant.text_hash
        ).values_list("unit_id", flat=True)
    )
    return [
        m.unit for m in covenant.term.memberships.select_related("unit") if m.unit_id not in signed
    ]


@dataclass
class BoardRow:
    cycle: BlockCycle
    covenant: Covenant | None
    members: list[MemberRow]
    deadline: dt.date | None
    days_left: int | None

    @property
    def days_overdue(self) -> int:
        return -(self.days_left or 0)

    @property
    def signed_count(self) -> int:
        return sum(1 for m in self.members if m.signed)

    @property
    def unsigned(self) -> list[MemberRow]:
        return [m for m in self.members if not m.signed]

    @property
    def returned(self) -> list[MemberRow]:
        return [m for m in self.members if m.returned]


def covenant_board(user: Any, campaign: Campaign) -> list[BoardRow]:
    """Every block the user may follow (all of them for the secretariat, their own blocks
    for leaders), with a constant number of queries."""
    milestone = (
        Milestone.objects.filter(campaign=campaign, kind=Milestone.Kind.COVENANT)
        .order_by("due_on")
        .first()
    )
    deadline = milestone.due_on if milestone else None
    days_left = dates.days_left(deadline)
    covenants = covenant_queryset().filter(cycle__campaign=campaign).order_by("term", "-version")
    newest: dict[int, Covenant] = {}
    for covenant in covenants:
        newest.setdefault(covenant.term_id, covenant)
    cycles = (
        campaign.cycles.select_related("term__block__agency", "term__leader", "term__deputy")
        .prefetch_related("term__memberships__unit")
        .order_by("term__block__code")
    )
    secretariat = is_secretariat_of(user, campaign.agency) or is_council_member_of(
        user, campaign.agency
    )
    rows = []
    for cycle in cycles:
        if not (secretariat or is_block_leader(user, cycle.term)):
            continue
        covenant = newest.get(cycle.term_id)
        if covenant is not None:
            members = member_rows(covenant)
        else:
            members = [MemberRow(m.unit) for m in cycle.term.memberships.all()]
        rows.append(BoardRow(cycle, covenant, members, deadline, days_left))
    return rows


# What is due ---------------------------------------------------------------------------------


def units_yet_to_sign(cycle: BlockCycle) -> list[int]:
    """Member units that have not signed the covenant now out for signature."""
    covenant = current_covenant(cycle)
    if covenant is None or covenant.status != Covenant.Status.SIGNING:
        return []
    return [row.unit.pk for row in member_rows(covenant) if not row.signed]
