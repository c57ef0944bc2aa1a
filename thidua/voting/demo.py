"""The demo's year-end review: Khối 1's meeting of 25/11/2021, called by its leader.

Built through the services, as the leader would: minh (leader, QLVHGD) calls the meeting with
the seeded block rule; hoa (deputy, TTVH) is its secretary. The roll is the seven members;
the agenda item asks the block to choose its leading unit among the members. Nobody has
attended or voted yet: the demo is in January, the meeting in late November (after the
year-end reports due 15/11, before the council's session on the block's dossiers).

Loading again changes nothing: once K1 has a 2021 meeting, whatever happened to it is kept.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from thidua.org.models import BlockTerm, User

from . import selectors
from .models import Meeting
from .services import meetings

MEETING_DAY = dt.date(2021, 11, 25)


@transaction.atomic
def load_demo_voting() -> Meeting | None:
    term = BlockTerm.objects.filter(block__code="K1", year=2021).select_related("block").first()
    rule = selectors.voting_rule_in_force("block-leading-unit", MEETING_DAY)
    if term is None or rule is None:
        return None
    existing = Meeting.objects.filter(term=term).first()
    if existing is not None:
        return existing
    minh = User.objects.get(username="minh")
    meeting = meetings.meeting_create(
        actor=minh,
        rule=rule,
        title=f"Hội nghị tổng kết công tác thi đua năm {term.year} của {term.block.name}",
        held_on=MEETING_DAY,
        starts_at=dt.time(8, 0),
        place="Hội trường Sở Văn hóa, Thể thao và Du lịch",
        chair=minh,
        secretary=User.objects.get(username="hoa"),
        term=term,
    )
    # The block's ranking goes beside each candidate once scoring publishes it.
    candidates = [
        meetings.CandidateSpec(label=m.unit.name, unit=m.unit)
        for m in term.memberships.select_related("unit")
    ]
    meetings.agenda_item_add(
        actor=minh,
        meeting=meeting,
        title=f"Bỏ phiếu kín suy tôn đơn vị dẫn đầu {term.block.name} năm {term.year}",
        candidates=candidates,
        seats=1,
    )
    return meeting
