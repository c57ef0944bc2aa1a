"""The dossier pages, in Vietnamese: the list, the dossier with its checklist and forms,
and who may see it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.reports.helpers import PDF
from thidua.awards.models import AwardForm
from thidua.proposals.models import Dossier
from thidua.proposals.services.dossiers import dossier_prepare

from .helpers import block_year_done, k1, user, vi

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vietnamese_pages")]


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
    dossier = dossier_prepare(
        actor=user("minh"), cycle=k1(), form=AwardForm.objects.get(code="CTD_TINH")
    )
    client.force_login(user(name))
    assert client.get(reverse("proposals:dossier", args=[dossier.pk])).status_code == status
    listing = client.get("/proposals/?year=2021").content.decode()
    assert (reverse("proposals:dossier", args=[dossier.pk]) in listing) == (status == 200)
