from __future__ import annotations

from thidua.voting.demo import load_demo_voting
from thidua.voting.models import Meeting


def test_the_demo_meeting_is_k1_with_its_roll_and_agenda_and_loads_once(db):
    meeting = load_demo_voting()
    assert meeting is not None and meeting.term.block.code == "K1"
    assert meeting.roll.count() == 7 and meeting.agenda.get().candidates.count() == 7
    assert meeting.status == Meeting.Status.PLANNED
    assert load_demo_voting() == meeting
    assert Meeting.objects.filter(term=meeting.term).count() == 1
