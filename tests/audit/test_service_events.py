"""Every write service leaves one audit event per change: who, what, before and after."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models

from tests.audit.service_calls import CALLS, Call
from tests.org.helpers import events_after, last_seq, nothing_changed


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
def test_service_leaves_an_audit_event_with_actor_action_before_and_after(persona, call: Call):
    lan = persona("lan")  # the secretariat may call every service but role_assign
    actor = persona("khoa") if call.name == "role_assign" else lan
    context = call.setup(persona("khoa"))
    seq = last_seq()

    result = call.run(actor, context)

    events = events_after(seq)
    assert len(events) == call.events
    for event in events:
        assert event.action == call.action
        assert event.actor == actor
        assert event.actor_label == actor.full_name
        if call.before is None:
            assert "before" not in event.data
        else:
            assert call.before.items() <= event.data["before"].items()
        if call.after is None:
            assert "after" not in event.data
        else:
            assert call.after.items() <= event.data["after"].items()
        assert call.extra.items() <= event.data.items()
    if isinstance(result, models.Model) and result.pk is not None and call.events == 1:
        assert (events[0].object_type, events[0].object_id) == (
            result._meta.label_lower,
            str(result.pk),
        )


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
def test_staff_member_is_denied_and_nothing_changes(persona, call: Call):
    context = call.setup(persona("khoa"))
    mai = persona("mai")

    with nothing_changed(), pytest.raises(PermissionDenied):
        call.run(mai, context)


def test_repeating_a_call_that_changes_nothing_leaves_no_second_event(persona):
    [rating_call] = [c for c in CALLS if c.name == "staff_rating_set"]
    lan = persona("lan")
    rating_call.run(lan, None)
    seq = last_seq()

    with nothing_changed():
        rating_call.run(lan, None)

    assert last_seq() == seq
