"""Bad input: wrong passwords, strangers, double clicks, retries, and frozen texts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.org.helpers import events_after, last_seq, nothing_written
from thidua.audit.actions import AuditAction
from thidua.covenants import services
from thidua.covenants.models import Covenant, CovenantReturn, Signature

from .helpers import PASSWORD, cycle, fresh, heads


def unit_of(covenant: Covenant, code: str):
    return covenant.term.memberships.get(unit__code=code).unit


@pytest.fixture
def circulated(persona) -> Covenant:
    covenant = services.covenant_start(actor=persona("minh"), cycle=cycle("K1"))
    return services.covenant_circulate(actor=persona("minh"), covenant=covenant)


def signed_by_all(covenant: Covenant) -> Covenant:
    for code, user in heads("K1", PASSWORD).items():
        services.covenant_sign(
            actor=user, covenant=covenant, unit=unit_of(covenant, code), password=PASSWORD
        )
    return fresh(covenant)


def test_a_wrong_password_signs_nothing_and_says_so(persona, circulated, demo_password):
    seq = last_seq()
    with pytest.raises(ValidationError) as refused:
        services.covenant_sign(
            actor=persona("tuan"),
            covenant=circulated,
            unit=unit_of(circulated, "QLDL"),
            password="not-" + demo_password,
        )
    assert refused.value.message_dict["password"] == ["The password is wrong; nothing was signed."]
    assert not Signature.objects.filter(covenant=circulated).exists()
    assert last_seq() == seq


@pytest.mark.parametrize("username", ["mai", "lan", "tung"])
def test_only_the_head_of_a_member_unit_signs(persona, circulated, demo_password, username):
    with pytest.raises(PermissionDenied):
        services.covenant_sign(
            actor=persona(username),
            covenant=circulated,
            unit=unit_of(circulated, "QLDL"),
            password=demo_password,
        )
    assert not Signature.objects.filter(covenant=circulated).exists()


def test_a_head_signs_only_for_their_own_unit(persona, circulated, demo_password):
    with pytest.raises(PermissionDenied):
        services.covenant_sign(
            actor=persona("tuan"),
            covenant=circulated,
            unit=unit_of(circulated, "TTVH"),
            password=demo_password,
        )


def test_a_unit_outside_the_block_cannot_sign(persona, circulated, demo_password):
    from thidua.org.models import Unit

    with pytest.raises(PermissionDenied):
        services.covenant_sign(
            actor=persona("tuan"),
            covenant=circulated,
            unit=Unit.objects.get(code="BTANG"),
            password=demo_password,
        )


def test_two_clicks_on_start_make_one_covenant(persona):
    minh = persona("minh")
    first = services.covenant_start(actor=minh, cycle=cycle("K1"))
    second = services.covenant_start(actor=minh, cycle=cycle("K1"))
    assert first.pk == second.pk
    assert Covenant.objects.filter(term__block__code="K1").count() == 1


def test_double_sign_circulate_and_submit_are_idempotent(persona, circulated, demo_password):
    minh, tuan = persona("minh"), persona("tuan")
    seq = last_seq()
    services.covenant_circulate(actor=minh, covenant=circulated)
    assert last_seq() == seq
    covenant = signed_by_all(circulated)
    seq = last_seq()
    services.covenant_sign(
        actor=tuan, covenant=covenant, unit=unit_of(covenant, "QLDL"), password=PASSWORD
    )
    assert Signature.objects.filter(covenant=covenant, unit__code="QLDL").count() == 1
    services.covenant_submit(actor=minh, covenant=covenant)
    services.covenant_submit(actor=minh, covenant=covenant)
    services.covenant_accept(actor=persona("lan"), covenant=covenant)
    services.covenant_accept(actor=persona("lan"), covenant=covenant)
    assert [e.action for e in events_after(seq)].count(AuditAction.COVENANT_SUBMITTED) == 1
    assert [e.action for e in events_after(seq)].count(AuditAction.COVENANT_ACCEPTED) == 1
    assert cycle("K1").state == "active"


def test_the_same_return_sent_twice_is_recorded_once(persona, circulated):
    for _ in range(2):
        services.covenant_return(
            actor=persona("tuan"),
            covenant=circulated,
            unit=unit_of(circulated, "QLDL"),
            reason="Sửa mục 2",
        )
    assert CovenantReturn.objects.filter(covenant=circulated).count() == 1


def test_a_return_needs_a_reason(persona, circulated):
    with nothing_written(), pytest.raises(ValidationError):
        services.covenant_return(
            actor=persona("tuan"), covenant=circulated, unit=unit_of(circulated, "QLDL"), reason=" "
        )


def test_nothing_out_for_signature_or_submitted_can_be_edited(persona, circulated):
    minh = persona("minh")
    item = circulated.items.first()
    with pytest.raises(ValidationError):
        services.covenant_update(
            actor=minh, covenant=circulated, commitments="x", targets={item.pk: "y"}
        )
    covenant = signed_by_all(circulated)
    services.covenant_submit(actor=minh, covenant=covenant)
    with pytest.raises(ValidationError):
        services.covenant_update(
            actor=minh, covenant=covenant, commitments="x", targets={item.pk: "y"}
        )
    with pytest.raises(ValidationError):
        services.covenant_circulate(actor=minh, covenant=covenant)
    item.refresh_from_db()
    assert item.target != "y"


def test_a_correction_after_acceptance_is_a_new_version(persona, circulated):
    minh = persona("minh")
    covenant = signed_by_all(circulated)
    services.covenant_submit(actor=minh, covenant=covenant)
    services.covenant_accept(actor=persona("lan"), covenant=covenant)
    correction = services.covenant_correct(actor=minh, covenant=covenant)
    assert services.covenant_correct(actor=minh, covenant=covenant).pk == correction.pk
    assert correction.version == 2 and correction.previous_id == covenant.pk
    assert correction.status == Covenant.Status.DRAFT and correction.signatures.count() == 0
    item = correction.items.first()
    services.covenant_update(
        actor=minh, covenant=correction, commitments="Sửa", targets={item.pk: "Mới"}
    )
    original = covenant.items.get(code=item.code)
    assert original.target != "Mới"
    assert fresh(covenant).status == Covenant.Status.ACCEPTED
    services.covenant_circulate(actor=minh, covenant=correction)
    correction = signed_by_all(correction)
    services.covenant_submit(actor=minh, covenant=correction)
    services.covenant_accept(actor=persona("lan"), covenant=correction)
    assert fresh(covenant).status == Covenant.Status.SUPERSEDED
    assert cycle("K1").state == "active"


def test_the_secretariat_returns_a_submitted_covenant_with_a_reason(persona, circulated):
    minh, lan = persona("minh"), persona("lan")
    covenant = signed_by_all(circulated)
    services.covenant_submit(actor=minh, covenant=covenant)
    with pytest.raises(ValidationError):
        services.covenant_send_back(actor=lan, covenant=covenant, reason="")
    services.covenant_send_back(actor=lan, covenant=covenant, reason="Thiếu căn cứ")
    covenant = fresh(covenant)
    assert covenant.status == Covenant.Status.DRAFT
    assert covenant.returns.get().stage == CovenantReturn.Stage.SECRETARIAT
    # Unchanged text: the signatures still count and the leader can submit again.
    services.covenant_circulate(actor=minh, covenant=covenant)
    services.covenant_submit(actor=minh, covenant=covenant)
    assert fresh(covenant).status == Covenant.Status.SUBMITTED
