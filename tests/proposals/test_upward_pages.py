"""The pages after the dossier, in Vietnamese: the council's result, the proposal to the
level above with its timeline and the answer form, and the Department's own decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.reports.helpers import PDF
from thidua.awards.models import AwardForm
from thidua.org.models import UnitVersion
from thidua.proposals import selectors
from thidua.proposals.models import UpwardProposal
from thidua.proposals.services.dossiers import (
    dossier_accept,
    dossier_file_add,
    dossier_prepare,
    dossier_submit,
)

from .helpers import accepted_dossier, block_year_done, council_session, council_votes, k1, user, vi

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vietnamese_pages")]


def test_the_council_result_and_the_upward_answer_reach_the_pages(client, settings):
    dossier = accepted_dossier()
    lan = user("lan")
    client.force_login(lan)
    session = council_session()
    listing = client.get("/proposals/?year=2021").content.decode()
    assert vi("Put accepted dossiers before the council") in listing
    client.post(reverse("proposals:council_agenda"), {"meeting": session.pk, "year": 2021})
    council_votes(session, {"tung": "agree", "lan": "agree", "thu": "agree"})
    page = client.get(reverse("proposals:dossier", args=[dossier.pk])).content.decode()
    assert vi("approved") in page and "3/5" in page

    client.post(
        reverse("proposals:upward_create"),
        {"year": 2021, "form": "CTD_TINH", "dossiers": [dossier.pk], "level_above": "UBND TP"},
    )
    proposal = UpwardProposal.objects.get()
    client.post(
        reverse("proposals:upward_status", args=[proposal.pk]),
        {"status": "sent", "on": "2021-12-20", "number": "45/TTr-SVHTTDL"},
    )
    page = client.get(reverse("proposals:upward", args=[proposal.pk])).content.decode()
    assert vi("Timeline") in page and "45/TTr-SVHTTDL" in page
    assert vi("Record the answer from the level above") in page

    UnitVersion.objects.filter(unit__code="QLVHGD").update(valid_to=dt.date(2021, 12, 31))
    settings.THIDUA_TODAY = "2022-01-20"
    answer = client.post(
        reverse("proposals:upward_answer", args=[proposal.pk]),
        {
            "awarded": [dossier.pk],
            "issuer_name": "UBND TP",
            "symbol": "120/QĐ-UBND",
            "issued_on": "2022-01-15",
            "original": SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf"),
        },
        follow=True,
    ).content.decode()
    with translation.override("vi"):
        expected = translation.gettext("The unit “%(unit)s” did not exist on %(date)s.") % {
            "unit": "Phòng Quản lý Văn hóa và Gia đình",
            "date": "15/01/2022",
        }
    assert expected.replace("“", "&ldquo;") in answer or expected in answer
    proposal.refresh_from_db()
    assert proposal.status == "sent"


def test_own_decisions_are_listed_with_a_link_to_the_decision_draft(client):
    block_year_done()
    minh, lan = user("minh"), user("lan")
    form = AwardForm.objects.get(code="GK_SO")
    dossier = dossier_prepare(actor=minh, cycle=k1(), form=form)
    assert dossier.route == "own"
    for item in ("TO_TRINH", "BAO_CAO_THANH_TICH"):
        dossier_file_add(
            actor=minh,
            dossier=dossier,
            requirement_code=item,
            name="x.pdf",
            data=PDF + item.encode(),
        )
    dossier_submit(actor=minh, dossier=dossier)
    dossier_accept(actor=lan, dossier=dossier)
    client.force_login(lan)
    listing = client.get("/proposals/?year=2021").content.decode()
    assert vi("Awaiting the Department's decision") in listing
    assert "Giấy khen của Giám đốc Sở" in listing
    base = reverse("awards:decision_draft")
    assert f"{base}?unit={dossier.unit_id}&amp;form=GK_SO&amp;reason=" in listing
    # The drafted reason reads like a decision's: achievement, lead of the block, year.
    draft = client.get(selectors.decision_draft_url([dossier])).content.decode()
    assert "dẫn đầu phong trào thi đua Khối thi đua số 1 năm 2021" in draft
