"""The demo's covenant step from the journey (journeys.md, step 2), through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.org.helpers import events_after, last_seq
from thidua.audit.actions import AuditAction
from thidua.campaigns.models import Campaign, CycleStep
from thidua.covenants import selectors, services
from thidua.covenants.models import Covenant, Signature

from .helpers import PASSWORD, cycle, fresh, heads


def test_the_block_leader_year_of_the_demo(persona, settings):
    k1 = cycle("K1")
    k1.state = "covenant_draft"  # as if minh had not circulated yet
    k1.save(update_fields=["state"])
    signers = heads("K1", PASSWORD)
    minh, lan = persona("minh"), persona("lan")
    seq = last_seq()

    covenant = services.covenant_start(actor=minh, cycle=k1)
    assert covenant.term.block.code == "K1"
    assert covenant.deadline.isoformat() == "2021-01-05"
    bases = k1.campaign.legal_bases.all()
    assert covenant.legal_bases == "\n".join(b.text for b in bases) != ""
    items = list(covenant.items.order_by("order"))
    assert len(items) > 2
    assert any(item.target for item in items)  # measurable criteria carry the plan's threshold

    targets = {items[0].pk: "100% cán bộ hoàn thành nhiệm vụ", items[1].pk: "Không có vi phạm"}
    services.covenant_update(
        actor=minh, covenant=covenant, commitments="Các đơn vị cam kết…", targets=targets
    )
    services.covenant_circulate(actor=minh, covenant=covenant)
    covenant = fresh(covenant)
    assert covenant.status == Covenant.Status.SIGNING and covenant.revision == 1
    assert cycle("K1").state == "covenant_signing"
    assert CycleStep.objects.filter(cycle=k1, target="covenant_signing").exists()

    tuan = signers["QLDL"]
    assert tuan.username == "tuan"
    services.covenant_sign(
        actor=tuan,
        covenant=covenant,
        unit=tuan_unit(covenant),
        password=PASSWORD,
        ip_address="10.0.0.7",
    )
    signature = Signature.objects.get(covenant=covenant, unit__code="QLDL")
    assert signature.ip_address == "10.0.0.7" and signature.revision == 1

    hoa = signers["TTVH"]
    services.covenant_return(
        actor=hoa,
        covenant=covenant,
        unit=unit_of(covenant, "TTVH"),
        reason="Chỉ tiêu 1.1 chưa rõ đơn vị tính",
    )
    assert fresh(covenant).status == Covenant.Status.DRAFT
    row = {
        r.unit.code: r
        for r in selectors.member_rows(selectors.covenant_queryset().get(pk=covenant.pk))
    }
    assert row["TTVH"].returned.reason == "Chỉ tiêu 1.1 chưa rõ đơn vị tính"

    services.covenant_update(
        actor=minh,
        covenant=covenant,
        commitments="Các đơn vị cam kết…",
        targets={items[0].pk: "100% cán bộ, công chức hoàn thành tốt nhiệm vụ trở lên"},
    )
    services.covenant_circulate(actor=minh, covenant=covenant)
    covenant = fresh(covenant)
    assert covenant.revision == 2
    signature.refresh_from_db()
    assert not signature.is_valid and "revision 2" in signature.invalidated_note
    rows = selectors.member_rows(selectors.covenant_queryset().get(pk=covenant.pk))
    qldl = next(r for r in rows if r.unit.code == "QLDL")
    assert not qldl.signed and qldl.stale == [signature]  # shown with its note

    for code, user in signers.items():
        services.covenant_sign(
            actor=user, covenant=covenant, unit=unit_of(covenant, code), password=PASSWORD
        )
    campaign = Campaign.objects.get(year=2021)
    board = {row.cycle.term.block.code: row for row in selectors.covenant_board(lan, campaign)}
    assert (board["K1"].signed_count, len(board["K1"].members)) == (7, 7)
    assert board["K1"].days_left == 1

    services.covenant_submit(actor=minh, covenant=covenant)
    covenant = fresh(covenant)
    assert covenant.status == Covenant.Status.SUBMITTED and not covenant.is_late
    assert covenant.submitted_on.isoformat() == "2021-01-04"

    services.covenant_accept(actor=lan, covenant=covenant)
    assert fresh(covenant).status == Covenant.Status.ACCEPTED
    assert cycle("K1").state == "active"

    actions = [e.action for e in events_after(seq)]
    assert actions[0] == AuditAction.COVENANT_STARTED
    for action in (
        AuditAction.COVENANT_EDITED,
        AuditAction.COVENANT_CIRCULATED,
        AuditAction.COVENANT_SIGNED,
        AuditAction.COVENANT_RETURNED,
        AuditAction.COVENANT_SUBMITTED,
        AuditAction.COVENANT_ACCEPTED,
        AuditAction.CYCLE_ADVANCED,
    ):
        assert action in actions
    assert actions.count(AuditAction.COVENANT_SIGNED) == 8


def unit_of(covenant: Covenant, code: str):
    return covenant.term.memberships.get(unit__code=code).unit


def tuan_unit(covenant: Covenant):
    return unit_of(covenant, "QLDL")


def test_khoi_2_submitted_on_8_january_is_marked_late(persona, settings):
    k2 = cycle("K2")
    assert k2.state == "covenant_draft"
    signers = heads("K2", PASSWORD)
    leader = signers[k2.term.leader.code]
    covenant = services.covenant_start(actor=leader, cycle=k2)
    services.covenant_circulate(actor=leader, covenant=covenant)
    for code, user in signers.items():
        services.covenant_sign(
            actor=user, covenant=covenant, unit=unit_of(covenant, code), password=PASSWORD
        )
    settings.THIDUA_TODAY = "2021-01-08"
    services.covenant_submit(actor=leader, covenant=covenant)
    covenant = fresh(covenant)
    assert covenant.is_late and covenant.submitted_on.isoformat() == "2021-01-08"
    board = {
        row.cycle.term.block.code: row
        for row in selectors.covenant_board(persona("lan"), Campaign.objects.get(year=2021))
    }
    assert board["K2"].covenant.is_late and board["K2"].days_left == -3
    services.covenant_accept(actor=persona("lan"), covenant=covenant)
    assert cycle("K2").state == "active"


def test_submitting_before_everyone_signed_is_refused(persona):
    minh = persona("minh")
    covenant = services.covenant_start(actor=minh, cycle=cycle("K1"))
    services.covenant_circulate(actor=minh, covenant=covenant)
    with pytest.raises(ValidationError) as refused:
        services.covenant_submit(actor=minh, covenant=covenant)
    assert "Not every member has signed" in " ".join(refused.value.messages)
