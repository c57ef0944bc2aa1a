"""Who may take each covenant step, read off a table (same personas as the main matrix)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.org.helpers import events_after, last_seq
from thidua.covenants import services
from thidua.covenants.models import Covenant
from thidua.org.models import User

from .helpers import cycle, heads

PERSONAS = ("khoa", "lan", "minh", "hoa", "tuan", "mai", "tung", "thu")

# fmt: off
COVENANT_TABLE = """
step         khoa lan minh hoa tuan mai tung thu
start         .    .   Y    .   .    .   .    .
edit          .    .   Y    .   .    .   .    .
circulate     .    .   Y    .   .    .   .    .
sign          .    .   Y    Y   Y    .   .    .
return        .    .   Y    Y   Y    .   .    .
submit        .    .   Y    .   .    .   .    .
accept        Y    Y   .    .   .    .   .    .
send_back     Y    Y   .    .   .    .   .    .
correct       .    .   Y    .   .    .   .    .
"""
# fmt: on


def rows() -> list[tuple[str, frozenset[str]]]:
    parsed = []
    for line in COVENANT_TABLE.strip().splitlines()[1:]:
        step, *marks = line.split()
        parsed.append(
            (step, frozenset(p for p, m in zip(PERSONAS, marks, strict=True) if m == "Y"))
        )
    return parsed


PASSWORD = "mật-khẩu-thử"


def own_unit(actor: User, covenant: Covenant) -> Any:
    """The member unit the actor heads, or (for others) the unit of tuan's QLDL."""
    from thidua.org.permissions import headed_unit_ids

    members = {m.unit_id: m.unit for m in covenant.term.memberships.select_related("unit")}
    mine = [members[i] for i in headed_unit_ids(actor) if i in members]
    return mine[0] if mine else covenant.term.memberships.get(unit__code="QLDL").unit


def prepared(step: str, persona: Callable[[str], User]) -> Covenant:
    """A K1 covenant in the state where `step` makes sense."""
    minh = persona("minh")
    covenant = services.covenant_start(actor=minh, cycle=cycle("K1"))
    if step in ("start", "edit"):
        return covenant
    if step in ("sign", "return", "submit", "accept", "send_back", "correct"):
        services.covenant_circulate(actor=minh, covenant=covenant)
    if step in ("submit", "accept", "send_back", "correct"):
        for code, user in heads("K1", PASSWORD).items():
            services.covenant_sign(
                actor=user,
                covenant=covenant,
                unit=covenant.term.memberships.get(unit__code=code).unit,
                password=PASSWORD,
            )
    if step in ("accept", "send_back", "correct"):
        services.covenant_submit(actor=minh, covenant=covenant)
    if step == "correct":
        services.covenant_accept(actor=persona("lan"), covenant=covenant)
    return Covenant.objects.get(pk=covenant.pk)


def call(step: str, actor: User, covenant: Covenant) -> Any:
    if step == "start":
        Covenant.objects.filter(pk=covenant.pk).delete()
        return services.covenant_start(actor=actor, cycle=cycle("K1"))
    if step == "edit":
        item = covenant.items.first()
        return services.covenant_update(
            actor=actor, covenant=covenant, commitments="Cam kết", targets={item.pk: "Đổi"}
        )
    if step == "sign":
        actor.set_password(PASSWORD)
        return services.covenant_sign(
            actor=actor, covenant=covenant, unit=own_unit(actor, covenant), password=PASSWORD
        )
    if step == "return":
        return services.covenant_return(
            actor=actor, covenant=covenant, unit=own_unit(actor, covenant), reason="Lý do"
        )
    if step == "send_back":
        return services.covenant_send_back(actor=actor, covenant=covenant, reason="Lý do")
    return getattr(services, f"covenant_{step}")(actor=actor, covenant=covenant)


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize(("step", "allowed"), rows(), ids=[r[0] for r in rows()])
def test_covenant_matrix(persona, step, allowed, username):
    covenant = prepared(step, persona)
    actor = persona(username)
    seq = last_seq()
    if username in allowed:
        call(step, actor, covenant)
        assert [e.actor for e in events_after(seq) if e.action.startswith("covenants.covenant.")][
            -1:
        ] == [actor]
    else:
        with pytest.raises(PermissionDenied):
            call(step, actor, covenant)
        assert last_seq() == seq
