"""The pages, in Vietnamese: the list, the dossier with its checklist and forms, the
proposal to the level above with its timeline and the answer form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.reports.helpers import PDF
from thidua.awards.models import AwardForm
from thidua.org.models import UnitVersion
from thidua.proposals import selectors, services
from thidua.proposals.models import Dossier, UpwardProposal

from .helpers import accepted_dossier, block_year_done, council_session, council_votes, k1, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return translation.gettext(msgid)


def test_the_leader_prepares_uploads_and_submits_from_the_pages(client):
    block_year_done()
    client.force_login(user("minh"))
    listing = client.get("/proposals/?year=2021").content.decode()
    assert '<html lang="vi">' in listing
    assert vi("Prepare the block's dossier") in listing
    assert "Cờ thi đua của Ủy ban nhân dân thành phố" in listing

    response = client.post(
        reverse("proposals:dossier_prepare"), {"cycle": k1().pk, "form": "CTD_TINH"}
    )
    dossier = Dossier.objects.get()
    assert response.url == reverse("proposals:dossier", args=[dossier.pk])
    page = client.get(response.url).content.decode()
    assert vi("Checklist") in page and "✗" in page and "✓" in page
    assert "Tờ trình đề nghị của Khối thi đua (bản đã ký)" in page
    assert "Phòng Quản lý Văn hóa và Gia đình" in page

    # Submitting with files missing names each missing item on the page.
    page = client.post(reverse("proposals:dossier_submit", args=[dossier.pk]), follow=True)
    text = page.content.decode()
    with translation.override("vi"):
        for label in ("Tờ trình đề nghị của Khối thi đua (bản đã ký)",
                      "Báo cáo thành tích của tập thể được đề nghị"):  # fmt: skip
            assert label in text
    dossier.refresh_from_db()
    assert dossier.status == "draft"

    for item in ("TO_TRINH", "BAO_CAO_THANH_TICH"):
        upload = SimpleUploadedFile(
            f"{item}.pdf", PDF + item.encode(), content_type="application/pdf"
        )
        client.post(
            reverse("proposals:dossier_file_add", args=[dossier.pk]), {"item": item, "file": upload}
        )
    assert dossier.files.count() == 2
    client.post(reverse("proposals:dossier_submit", args=[dossier.pk]))
    dossier.refresh_from_db()
    assert dossier.status == "submitted"

    draft = client.get(reverse("proposals:dossier_draft", args=[dossier.pk]))
    assert draft.status_code == 200 and draft.content.startswith(b"PK")

    client.force_login(user("lan"))
    page = client.get(reverse("proposals:dossier", args=[dossier.pk])).content.decode()
    assert vi("Accept the dossier") in page and vi("Return to the block") in page
    client.post(reverse("proposals:dossier_return", args=[dossier.pk]), {"reason": "Thiếu dấu"})
    dossier.refresh_from_db()
    assert dossier.status == "returned"
    client.force_login(user("minh"))
    page = client.get(reverse("proposals:dossier", args=[dossier.pk])).content.decode()
    assert "Thiếu dấu" in page


@pytest.mark.parametrize(
    ("name", "status"), [("tuan", 403), ("mai", 403), ("thu", 200), ("hoa", 200)]
)
def test_who_sees_a_dossier(client, name, status):
    block_year_done()
    dossier = services.dossier_prepare(
        actor=user("minh"), cycle=k1(), form=AwardForm.objects.get(code="CTD_TINH")
    )
    client.force_login(user(name))
    assert client.get(reverse("proposals:dossier", args=[dossier.pk])).status_code == status
    listing = client.get("/proposals/?year=2021").content.decode()
    assert (reverse("proposals:dossier", args=[dossier.pk]) in listing) == (status == 200)


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
    dossier = services.dossier_prepare(actor=minh, cycle=k1(), form=form)
    assert dossier.route == "own"
    for item in ("TO_TRINH", "BAO_CAO_THANH_TICH"):
        services.dossier_file_add(
            actor=minh,
            dossier=dossier,
            requirement_code=item,
            name="x.pdf",
            data=PDF + item.encode(),
        )
    services.dossier_submit(actor=minh, dossier=dossier)
    services.dossier_accept(actor=lan, dossier=dossier)
    client.force_login(lan)
    listing = client.get("/proposals/?year=2021").content.decode()
    assert vi("Awaiting the Department's decision") in listing
    assert "Giấy khen của Giám đốc Sở" in listing
    base = reverse("awards:decision_draft")
    assert f"{base}?unit={dossier.unit_id}&amp;form=GK_SO&amp;reason=" in listing
    # The drafted reason reads like a decision's: achievement, lead of the block, year.
    draft = client.get(selectors.decision_draft_url([dossier])).content.decode()
    assert "dẫn đầu phong trào thi đua Khối thi đua số 1 năm 2021" in draft
