"""Secrecy: nothing stored with a ballot, in the audit log or in the admin names a voter."""

from __future__ import annotations

import json

import pytest
from django.contrib import admin
from django.db import models

from tests.voting.helpers import attend, candidate_ids, heads, item_with_units, meeting, open_vote
from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.voting.models import Ballot, VoterRecord
from thidua.voting.services.ballots import ballot_cast
from thidua.voting.services.votes import vote_close


def test_a_ballot_has_no_link_to_anyone_and_no_timestamp():
    fields = {f.name: f for f in Ballot._meta.get_fields()}
    assert set(fields) == {"id", "vote", "seq", "choices", "prev_hash", "hash"}
    relations = [f for f in fields.values() if f.is_relation]
    assert [f.related_model._meta.label for f in relations] == ["voting.Vote"]
    assert not any(isinstance(f, models.DateField | models.TimeField) for f in fields.values())
    # A random key: the primary key says nothing about insertion order either.
    assert isinstance(fields["id"], models.UUIDField)


def test_the_voter_record_has_no_timestamp_or_serial_key():
    fields = {f.name: f for f in VoterRecord._meta.get_fields()}
    assert set(fields) == {"id", "vote", "entitlement"}
    assert isinstance(fields["id"], models.UUIDField)


def test_the_admin_cannot_see_ballots_or_who_voted():
    assert Ballot not in admin.site._registry
    assert VoterRecord not in admin.site._registry


@pytest.mark.django_db
def test_no_audit_event_holds_a_choice_and_casting_writes_none(persona):
    voters = heads("K1")
    k1 = meeting(persona("minh"))
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL"]))
    ids = candidate_ids(vote)
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    ballot_cast(actor=voters["VP"], vote=vote, chosen=[ids["QLDL"]])
    ballot_cast(actor=voters["TCPC"], vote=vote, chosen=[ids["QLVHGD"]])
    assert AuditEvent.objects.filter(seq__gt=before).count() == 0
    vote_close(actor=k1.chair, vote=vote)
    contents = {b.choices for b in Ballot.objects.filter(vote=vote)}
    for event in AuditEvent.objects.filter(object_type__startswith="voting."):
        text = json.dumps(event.data, ensure_ascii=False)
        assert not any(content in text for content in contents)
        assert '"chosen": [' not in text and "agree" not in text
        # Nothing in the log pairs a voter with anything of the vote.
        assert "head-vp" not in text and "head-tcpc" not in text
    closed = AuditEvent.objects.get(action=AuditAction.VOTE_CLOSED, object_id=str(vote.pk))
    assert closed.data["after"]["ballots"] == 2  # aggregate counts only


@pytest.mark.django_db
def test_the_voter_sees_that_the_ballot_was_counted_and_nothing_of_the_choice(persona, client):
    voters = heads("K1")
    k1 = meeting(persona("minh"))
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL"]))
    ids = candidate_ids(vote)
    client.force_login(voters["VP"])
    response = client.post(
        f"/voting/votes/{vote.pk}/ballot/", {"chosen": [ids["QLDL"]]}, follow=True
    )
    page = response.content.decode()
    assert "Your ballot was counted" in page
    assert "Quản lý Du lịch" not in page.split("Your ballot was counted")[1][:400]
    again = client.get(f"/voting/votes/{vote.pk}/ballot/").content.decode()
    assert "already voted" in again and f'value="{ids["QLDL"]}"' not in again
