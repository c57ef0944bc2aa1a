"""verify_audit walks the hash chain and names the first row that was changed or deleted."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Value
from django.db.models.functions import Concat

from tests.org.helpers import D, last_seq, unit
from thidua.audit.models import AuditChainHead, AuditEvent
from thidua.audit.services import _row_payload
from thidua.lib.hashing import chain_hash
from thidua.org.services.units import unit_rename


def verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def broken() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=StringIO())
    return str(failure.value)


def middle_seq() -> int:
    return last_seq() // 2


def test_demo_chain_is_intact(db):
    assert last_seq() > 100
    assert "audit chain intact" in verify()


def test_chain_stays_intact_as_services_append_to_it(persona):
    unit_rename(
        actor=persona("lan"), unit=unit("TTRA"), name="Thanh tra", short_name="", on=D(2022, 7, 1)
    )

    assert "audit chain intact" in verify()
    assert AuditChainHead.objects.get().last_seq == last_seq()


def test_changing_a_rows_data_names_that_row(db):
    seq = middle_seq()
    AuditEvent.objects.filter(seq=seq).update(data={"after": {"rating": "HTXSNV"}})

    assert broken() == f"audit chain broken: row #{seq} was changed"


@pytest.mark.parametrize(
    "change",
    [
        {"actor_label": Value("someone else")},
        {"action": Value("rating.deleted")},
        {"object_id": Value("999999")},
        {"object_label": Concat(F("object_label"), Value(" (sửa)"))},
    ],
    ids=["actor", "action", "object", "label"],
)
def test_changing_any_column_names_that_row(db, change):
    seq = middle_seq()
    AuditEvent.objects.filter(seq=seq).update(**change)

    assert broken() == f"audit chain broken: row #{seq} was changed"


def test_changing_a_row_and_rehashing_it_still_names_that_row(db):
    seq = middle_seq()
    event = AuditEvent.objects.get(seq=seq)
    event.actor_label = "someone else"
    AuditEvent.objects.filter(seq=seq).update(
        actor_label=event.actor_label, hash=chain_hash(event.prev_hash, _row_payload(event))
    )

    assert broken() == f"audit chain broken: row #{seq} was changed"


def test_changing_the_last_row_and_rehashing_it_is_caught_by_the_head(db):
    seq = last_seq()
    event = AuditEvent.objects.get(seq=seq)
    event.actor_label = "someone else"
    AuditEvent.objects.filter(seq=seq).update(
        actor_label=event.actor_label, hash=chain_hash(event.prev_hash, _row_payload(event))
    )

    assert broken() == f"audit chain broken: row #{seq} was changed"


def test_deleting_a_middle_row_names_the_gap(db):
    seq = middle_seq()
    AuditEvent.objects.filter(seq=seq).delete()

    assert broken() == f"audit chain broken: row #{seq} was deleted"


def test_deleting_the_last_row_is_caught(db):
    seq = last_seq()
    AuditEvent.objects.filter(seq=seq).delete()

    assert broken() == f"audit chain broken: row #{seq} was deleted"


def test_deleting_the_last_rows_names_the_first_missing_one(db):
    seq = last_seq()
    AuditEvent.objects.filter(seq__gt=seq - 3).delete()

    assert broken() == f"audit chain broken: row #{seq - 2} was deleted"


def test_first_problem_is_named_when_there_are_several(db):
    seq = middle_seq()
    AuditEvent.objects.filter(seq=seq + 10).delete()
    AuditEvent.objects.filter(seq=seq).update(action="tampered")

    assert broken() == f"audit chain broken: row #{seq} was changed"


def test_new_events_continue_the_chain_from_the_head(persona):
    head = AuditChainHead.objects.get()

    unit_rename(
        actor=persona("lan"), unit=unit("TTRA"), name="Thanh tra", short_name="", on=D(2022, 7, 1)
    )

    event = AuditEvent.objects.get(seq=head.last_seq + 1)
    assert event.prev_hash == head.last_hash
    assert AuditChainHead.objects.get().last_hash == event.hash
