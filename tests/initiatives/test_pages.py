"""The pages a user of another agency (Sở KH&CN Hậu Giang, 2024) goes through: register an
initiative, attach a file, file the request; the director reviews and decides; anyone in
the agency finds it in the register, typing without diacritics."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.initiatives.world import TODAY, World, build_world
from thidua.initiatives.models import Initiative, InitiativeStatus

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(settings: Any) -> World:
    settings.THIDUA_TODAY = TODAY
    return build_world()


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _form(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "unit": world.division.pk,
        "year": 2024,
        "title": "Số hóa sổ theo dõi thẩm định công nghệ",
        "solution_kind": "management",
        "field": "Quản lý công nghệ",
        "improves": "Sổ giấy được thay bằng bảng tính dùng chung.",
        "applied_at": "Phòng Quản lý công nghệ",
        "first_applied_on": "2024-03-01",
        "effect": "Tra cứu nhanh hơn.",
        "authors": f"{world.author.code} 70\n{world.coauthor.code} 30",
        "requested_scope": "co_so",
        "token": "tok-1",
    }
    data.update(changes)
    return data


def _token(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def test_a_bad_author_line_and_bad_shares_are_shown_and_nothing_is_written(
    client: Client, world: World
) -> None:
    page = _as(client, world.author_user)
    response = page.post("/initiatives/new/", _form(world, authors="NV-KHONG-CO 50\n"))
    assert response.status_code == 400
    assert "Dòng 1: không có mã cán bộ “NV-KHONG-CO”" in response.content.decode()
    response = page.post(
        "/initiatives/new/",
        _form(world, authors=f"{world.author.code} 70\n{world.coauthor.code} 20"),
    )
    assert response.status_code == 400
    assert "Tổng tỷ lệ đóng góp của các tác giả là 90%, chưa bằng 100%" in response.content.decode()
    assert not Initiative.objects.filter(unit=world.division).exists()


def test_register_request_review_decide_and_find_it(client: Client, world: World) -> None:
    page = _as(client, world.author_user)
    response = page.post("/initiatives/new/", _form(world))
    initiative = Initiative.objects.get(unit=world.division)
    assert response.status_code == 302 and response["Location"] == f"/initiatives/{initiative.pk}/"
    upload = SimpleUploadedFile("mo-ta.pdf", PDF, content_type="application/pdf")
    page.post(f"/initiatives/{initiative.pk}/evidence/", {"file": upload})
    detail = page.get(f"/initiatives/{initiative.pk}/").content.decode()
    assert "mo-ta.pdf" in detail and "Nộp đơn yêu cầu công nhận" in detail
    assert "Ghi kết quả xét" not in detail  # not the author's to decide
    page.post(f"/initiatives/{initiative.pk}/request/", {"token": _token(detail)})
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.REQUESTED

    director = _as(client, world.director)
    detail = director.get(f"/initiatives/{initiative.pk}/").content.decode()
    assert "Ghi kết quả xét" in detail
    form = director.get(f"/initiatives/{initiative.pk}/review/co_so/").content.decode()
    assert 'value="Phạm Quốc Việt"' in form  # the head of the Department chairs by default
    director.post(
        f"/initiatives/{initiative.pk}/review/co_so/",
        {
            "reviewed_on": "2024-11-15",
            "outcome": "recognised",
            "chair_name": "Phạm Quốc Việt",
            "chair_position": "Giám đốc Sở",
            "secretary_name": "Đỗ Thu Trang",
            "score": "88",
            "token": _token(form),
        },
    )
    form = director.get(f"/initiatives/{initiative.pk}/recognise/co_so/").content.decode()
    response = director.post(
        f"/initiatives/{initiative.pk}/recognise/co_so/",
        {
            "recognised_on": "2024-11-15",
            "effect_from": "2024-11-15",
            "authority": "Giám đốc Sở Khoa học và Công nghệ",
            "legal_bases": "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
            "signer_title": "Giám đốc",
            "signer_name": "Phạm Quốc Việt",
            "token": _token(form),
        },
    )
    assert response.status_code == 302
    recognition = initiative.recognitions.get()
    assert recognition.recognised_on == dt.date(2024, 11, 15)
    detail = director.get(f"/initiatives/{initiative.pk}/").content.decode()
    assert recognition.symbol in detail
    docx = director.get(f"/initiatives/{initiative.pk}/papers/{recognition.document_id}.docx")
    assert docx.status_code == 200

    # The register finds it by an author typed without diacritics, by year and by scope.
    reader = _as(client, world.agency_secretariat)
    for query in ("?q=tran thi bich", "?year=2024", "?scope=co_so", f"?unit={world.agency.pk}"):
        assert initiative.title in reader.get(f"/initiatives/{query}").content.decode(), query
    for query in ("?q=nguyen", "?year=2023", "?scope=tinh_bo"):
        assert initiative.title not in reader.get(f"/initiatives/{query}").content.decode(), query


def test_a_stranger_sees_neither_the_initiative_nor_its_files(client: Client, world: World) -> None:
    from tests.org.factories import make_unit, make_user
    from thidua.org.models import Role

    page = _as(client, world.author_user)
    page.post("/initiatives/new/", _form(world))
    initiative = Initiative.objects.get(unit=world.division)
    elsewhere = make_unit(name="Sở Tài chính")
    stranger = _as(client, make_user(role=Role.STAFF, unit=elsewhere))
    assert stranger.get(f"/initiatives/{initiative.pk}/").status_code == 404
    assert initiative.title not in stranger.get("/initiatives/").content.decode()
