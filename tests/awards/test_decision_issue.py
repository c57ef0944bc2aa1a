"""The Department's own decision issued from the register: the document and its annex with
bonuses in words, the awards in the register and on history pages, refusals by row, one issue
per key, a failed render that leaves nothing, and the certificates from the Award rows."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.documents.helpers import nothing_written
from tests.org.factories import make_unit
from tests.titles.factories import justify
from thidua.awards import issuing
from thidua.awards.certificates import certificates_start
from thidua.awards.decision_defaults import draft_defaults
from thidua.awards.models import Award, AwardDecision
from thidua.awards.services import AwardInput, annul_decision
from thidua.documents import template_versions
from thidua.documents.models import DocumentBatch, IssuedDocument, IssuingBody, NumberCounter
from thidua.lib import files as stored_files
from thidua.lib.files import Area
from thidua.org.demo_issuers import ensure_demo_issuers

D = dt.date
TODAY = D(2021, 1, 4)  # the demo's pinned today
pytestmark = pytest.mark.django_db


@pytest.fixture
def svh(db: Any) -> IssuingBody:
    return {b.symbol: b for b in ensure_demo_issuers()}["SVHTTDL"]


@pytest.fixture
def no_pdf(settings: Any, tmp_path: Any) -> None:
    settings.SOFFICE_PATH = str(tmp_path / "not-installed")


@pytest.fixture
def draft(agency: Any, svh: IssuingBody, unit: Any, form: Any, person_of: Any) -> Any:
    """draft(awards=…, on=…) → a DraftInput with the page's defaults, QLDL's collective
    title and mai's Giấy khen unless told otherwise. QLDL's members hold no Lao động tiên
    tiến in the register, so its title is issued on an override the council's chair wrote
    (titles' refuse-or-justify check; tested in tests/titles)."""

    def make(awards: list[AwardInput] | None = None, on: dt.date = TODAY) -> Any:
        if awards is None:
            justify_qldl(on.year)
        defaults = draft_defaults(agency, on)
        return issuing.DraftInput(
            agency=agency,
            issued_on=on,
            signer_name="Nguyễn Khánh Tùng",
            signer_title="Giám đốc",
            summary=defaults["summary"],
            authority=defaults["authority"],
            achievement=defaults["achievement"],
            proposal=defaults["proposal"],
            legal_bases=defaults["legal_bases"].splitlines(),
            awards=awards
            if awards is not None
            else [
                AwardInput(form=form("TTLDTT"), unit=unit("QLDL"), reason="Hoàn thành xuất sắc"),
                AwardInput(form=form("GK_SO"), person=person_of("mai"), reason="Có sáng kiến"),
            ],
        )

    return make


def justify_qldl(year: int) -> None:
    """The council chair's written override for QLDL's Tập thể lao động tiên tiến."""
    justify(unit_code="QLDL", title="TTLDTT", year=year)


def docx_text(document: IssuedDocument) -> str:
    data = stored_files.read(Area.DOCUMENTS, document.docx_path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("word/") and name.endswith(".xml")
        )


def test_the_decision_is_issued_with_its_annex_and_lands_in_the_register(
    draft: Any, persona: Any, no_pdf: None, login: Any, unit: Any, person_of: Any
) -> None:
    decision = issuing.decision_issue(
        actor=persona("lan"), data=draft(), idempotency_key="draft-key-0001"
    )
    document = decision.document
    assert document is not None and document.symbol == "01/QĐ-SVHTTDL"
    assert decision.symbol == document.symbol and decision.issued_on == D(2021, 1, 4)
    text = docx_text(document)
    # 2021: base salary 1 490 000; TTLĐTT collective 0.8 × → 1 192 000, rounded up to
    # 1 200 000; an individual's Giấy khen 0.3 × → 447 000 → 450 000.
    assert "Phòng Quản lý Du lịch" in text and "Võ Thị Mai" in text
    assert "tiền thưởng 1.200.000 đồng (Một triệu hai trăm nghìn đồng)" in text
    assert "tiền thưởng 450.000 đồng (Bốn trăm năm mươi nghìn đồng)" in text
    assert "tổng cộng 1.650.000 đồng (Một triệu sáu trăm năm mươi nghìn đồng)" in text
    assert "Kèm theo Quyết định số 01/QĐ-SVHTTDL" in text
    awards = {a.recipient_name: a for a in decision.awards.all()}
    assert set(awards) == {"Phòng Quản lý Du lịch", "Võ Thị Mai"}
    assert awards["Phòng Quản lý Du lịch"].amount == Decimal(1_200_000)
    assert awards["Võ Thị Mai"].amount_in_words == "Bốn trăm năm mươi nghìn đồng"
    assert awards["Võ Thị Mai"].reason == "Có sáng kiến"
    # The unit's and the person's pages list the award.
    client = login("mai")
    for url in (
        reverse("unit_detail", args=[unit("QLDL").pk]),
        reverse("person_detail", args=[person_of("mai").pk]),
    ):
        html = client.get(url).content.decode()
        section = html[html.index('id="award-history"') :]
        assert "01/QĐ-SVHTTDL" in section


def test_a_recipient_that_did_not_exist_on_the_date_is_refused_naming_the_row(
    draft: Any, persona: Any, agency: Any, form: Any, unit: Any, svh: IssuingBody
) -> None:
    new = make_unit(
        code="MOI", name="Phòng Mới", parent=agency, valid_from=D(2021, 1, 4), actor=persona("khoa")
    )
    data = draft(
        [
            AwardInput(form=form("TTLDTT"), unit=unit("VP"), row=1),
            AwardInput(form=form("TTLDTT"), unit=new, row=2),
            AwardInput(form=form("TTLDTT"), unit=unit("VP"), row=3),
        ],
        on=D(2021, 1, 3),
    )
    with nothing_written(), pytest.raises(ValidationError) as refused:
        issuing.decision_issue(actor=persona("lan"), data=data, idempotency_key="draft-key-0002")
    assert "Row 2: The unit “Phòng Mới” did not exist on 03/01/2021." in refused.value.messages
    assert "Row 3: The same recipient and form appear twice." in refused.value.messages
    assert not AwardDecision.objects.exists()


def test_a_form_the_agency_does_not_award_is_refused(
    draft: Any, persona: Any, form: Any, unit: Any
) -> None:
    data = draft([AwardInput(form=form("CTD_TINH"), unit=unit("TTVH"))])
    with nothing_written(), pytest.raises(ValidationError) as refused:
        issuing.decision_issue(actor=persona("lan"), data=data, idempotency_key="draft-key-0003")
    assert refused.value.messages == [
        "Row 1: “Cờ thi đua của Ủy ban nhân dân thành phố” is not awarded by "
        "Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ."
    ]


def test_a_retry_with_the_same_key_issues_once(
    draft: Any, persona: Any, svh: IssuingBody, no_pdf: None
) -> None:
    first = issuing.decision_issue(
        actor=persona("lan"), data=draft(), idempotency_key="draft-key-0004"
    )
    again = issuing.decision_issue(
        actor=persona("lan"), data=draft(), idempotency_key="draft-key-0004"
    )
    assert again.pk == first.pk
    assert IssuedDocument.objects.filter(doc_type__code="QĐ").count() == 1
    assert Award.objects.count() == 2
    counter = NumberCounter.objects.get(issuer=svh, year=2021, doc_type__code="QĐ")
    assert counter.last_number == 1


def test_a_failed_render_issues_nothing_and_consumes_no_number(
    draft: Any, persona: Any, svh: IssuingBody
) -> None:
    lan = persona("lan")
    built_in = template_versions.builtin_content("quyet_dinh_khen_thuong")
    version = template_versions.template_upload(
        actor=lan, issuer=svh, key="quyet_dinh_khen_thuong", data=built_in
    )
    # The stored version is damaged after its check: rendering it fails.
    type(version).objects.filter(pk=version.pk).update(content=b"PK\x03\x04 not a docx")
    data = draft()
    with nothing_written(), pytest.raises(Exception):  # noqa: B017 - whatever the renderer raises
        issuing.decision_issue(actor=lan, data=data, idempotency_key="draft-key-0005")
    assert not AwardDecision.objects.exists() and not Award.objects.exists()
    counter = NumberCounter.objects.filter(issuer=svh, year=2021, doc_type__code="QĐ").first()
    assert counter is None or counter.last_number == 0


def test_only_the_secretariat_issues(draft: Any, persona: Any) -> None:
    with pytest.raises(PermissionDenied):
        issuing.decision_issue(actor=persona("tuan"), data=draft(), idempotency_key="draft-key-6")


def test_the_draft_page_takes_rows_from_the_link_and_issues_once(
    login: Any, unit: Any, person_of: Any, svh: IssuingBody, no_pdf: None, form: Any
) -> None:
    client = login("lan")
    url = reverse("awards:decision_draft")
    qldl, mai = unit("QLDL"), person_of("mai")
    justify_qldl(2021)
    page = client.get(f"{url}?unit={qldl.pk}&form=TTLDTT&reason=Dẫn+đầu+khối&person={mai.pk}")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert rows.forms[0]["unit"].value() == qldl.pk
    assert rows.forms[0]["reason"].value() == "Dẫn đầu khối"
    assert rows.forms[1]["person_code"].value() == mai.code
    html = page.content.decode()
    assert "Một triệu hai trăm nghìn đồng" in html  # the first row's bonus, before any edit
    draft_form = page.context["form"]
    assert "Căn cứ" in draft_form["legal_bases"].value()
    # A provincial title is not offered to the Department.
    assert "Cờ thi đua của Ủy ban nhân dân thành phố" not in html
    post = {
        "issued_on": "2021-01-04",
        "summary": draft_form["summary"].value(),
        "authority": draft_form["authority"].value(),
        "legal_bases": draft_form["legal_bases"].value(),
        "proposal": draft_form["proposal"].value(),
        "achievement": draft_form["achievement"].value(),
        "signer_authority": "",
        "signer_title": "Giám đốc",
        "signer_name": "Nguyễn Khánh Tùng",
        "key": draft_form["key"].value(),
        "awards-TOTAL_FORMS": "3",
        "awards-INITIAL_FORMS": "0",
        "awards-0-unit": str(qldl.pk),
        "awards-0-form": str(rows.forms[0]["form"].value()),
        "awards-0-reason": "Dẫn đầu khối",
        "awards-1-person_code": mai.code,
        "awards-1-form": str(form("GK_SO").pk),
    }  # fmt: skip
    done = client.post(url, post)
    assert done.status_code == 302, done.content.decode()[:2000]
    decision = AwardDecision.objects.get()
    assert done["Location"] == reverse("awards:decision_detail", args=[decision.pk])
    again = client.post(url, post)  # a double submit
    assert again["Location"] == done["Location"]
    assert AwardDecision.objects.count() == 1 and decision.awards.count() == 2


def test_the_bonus_of_a_row_as_it_is_filled(login: Any, unit: Any, form: Any) -> None:
    response = login("lan").get(
        reverse("awards:decision_bonus"),
        {
            "row": "2",
            "issued_on": "2021-01-04",
            "awards-2-unit": str(unit("TTVH").pk),
            "awards-2-form": str(form("GK_SO").pk),
        },
    )
    # A collective's Giấy khen: 0.6 × 1 490 000 = 894 000 → 900 000.
    assert "900.000" in response.content.decode() or "900,000" in response.content.decode()
    assert "Chín trăm nghìn đồng" in response.content.decode()
    assert login("mai").get(reverse("awards:decision_bonus")).status_code == 403


def test_certificates_from_the_decision_one_per_award_in_force(
    draft: Any, persona: Any, login: Any, svh: IssuingBody, no_pdf: None
) -> None:
    decision = issuing.decision_issue(
        actor=persona("lan"), data=draft(), idempotency_key="draft-key-0007"
    )
    client = login("lan")
    page = client.get(reverse("awards:decision_detail", args=[decision.pk])).content.decode()
    assert 'id="certificates-form"' in page
    url = reverse("awards:decision_certificates", args=[decision.pk])
    started = client.post(url, {"key": "cert-key-0001", "mode": "full"})
    client.post(url, {"key": "cert-key-0001", "mode": "full"})  # a double click
    batch = DocumentBatch.objects.get()
    assert started["Location"] == reverse("document_batch", args=[batch.pk])
    items = list(batch.items.order_by("position"))
    assert len(items) == decision.awards.count() == 2
    by_name = {item.label: item.context["fields"] for item in items}
    assert by_name["Võ Thị Mai"]["achievement"] == "Có sáng kiến."
    assert by_name["Võ Thị Mai"]["award_title"] == "Giấy khen của Giám đốc Sở"
    assert by_name["Võ Thị Mai"]["decision_number"] == decision.symbol
    assert login("mai").post(url, {"key": "cert-key-0002"}).status_code == 403


def test_an_annulled_decision_prints_no_certificates(
    draft: Any, persona: Any, decide: Any, svh: IssuingBody, no_pdf: None
) -> None:
    lan = persona("lan")
    decision = issuing.decision_issue(actor=lan, data=draft(), idempotency_key="draft-key-0008")
    later = decide([], symbol="2/QĐ-SVHTTDL", on=D(2021, 1, 4))
    annul_decision(actor=lan, decision=decision, by=later, reason="Sai sót")
    decision.refresh_from_db()
    with pytest.raises(ValidationError):
        certificates_start(actor=lan, decision=decision, token="cert-key-0003")
    assert not DocumentBatch.objects.exists()


def test_the_draft_page_in_vietnamese(client: Any, persona: Any, svh: IssuingBody) -> None:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(persona("lan"))
    page = client.get(reverse("awards:decision_draft"))
    assert page.status_code == 200
    assert 'id="draft-rows"' in page.content.decode()
    assert client.get(reverse("awards:register")).status_code == 200


LAW_2003 = "Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003"
DECREE_91 = "Nghị định số 91/2017/NĐ-CP"
LAW_2022 = "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"
DECREE_98 = "Nghị định số 98/2023/NĐ-CP"
DECREE_152 = "Nghị định số 152/2025/NĐ-CP"


@pytest.mark.parametrize(
    ("on", "cited"),
    [
        # The 2022 Law was passed on 15/06/2022 but cited only from 01/01/2024.
        (D(2022, 1, 10), {LAW_2003, DECREE_91}),
        (D(2023, 12, 29), {LAW_2003, DECREE_91}),
        (D(2024, 3, 1), {LAW_2022, DECREE_98}),
        (D(2025, 8, 1), {LAW_2022, DECREE_152}),
    ],
)
def test_a_decision_cites_only_the_bases_in_force_on_its_date(
    draft: Any, persona: Any, no_pdf: None, settings: Any, on: dt.date, cited: set[str]
) -> None:
    settings.THIDUA_TODAY = on.isoformat()
    decision = issuing.decision_issue(
        actor=persona("lan"), data=draft(on=on), idempotency_key=f"bases-{on:%Y%m%d}"
    )
    assert decision.document is not None
    text = docx_text(decision.document)
    everything = {LAW_2003, DECREE_91, LAW_2022, DECREE_98, DECREE_152}
    assert {basis for basis in everything if basis in text} == cited


def test_bases_kept_from_another_date_are_refused_naming_what_to_cite(
    draft: Any, persona: Any, no_pdf: None, settings: Any
) -> None:
    settings.THIDUA_TODAY = "2024-03-01"
    # The draft page filled on 01/03/2024 (the 2022 Law, ND 98/2023), issued dated 10/01/2022.
    data = draft(on=D(2024, 3, 1))
    data.issued_on = D(2022, 1, 10)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        issuing.decision_issue(actor=persona("lan"), data=data, idempotency_key="bases-stale-1")
    assert refused.value.messages == [
        "“Luật Thi đua, khen thưởng 2022” is not in force on 10/01/2022 (it is cited from "
        "01/01/2024); on that day cite: Luật Thi đua, Khen thưởng 2003 (sửa đổi 2005, 2013), "
        "Nghị định 91/2017/NĐ-CP.",
        "“Nghị định 98/2023/NĐ-CP” is not in force on 10/01/2022 (it is cited from 01/01/2024 "
        "to 30/06/2025); on that day cite: Luật Thi đua, Khen thưởng 2003 (sửa đổi 2005, "
        "2013), Nghị định 91/2017/NĐ-CP.",
    ]
