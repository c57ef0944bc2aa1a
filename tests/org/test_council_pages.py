"""The council pages: the secretariat edits the council."""

from __future__ import annotations


def test_the_secretariat_edits_the_council_from_its_page(login):
    from thidua.org.models import Council

    council = Council.objects.get()
    detail = f"/councils/{council.agency_id}/"
    edit = f"/councils/{council.agency_id}/edit/"
    client = login("lan")
    assert f'href="{edit}"' in client.get(detail).content.decode()
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {"name": "Hội đồng Thi đua – Khen thưởng Sở", "standing_body": council.standing_body_id},
    )
    assert response.status_code == 302 and response["Location"] == detail
    council.refresh_from_db()
    assert council.name == "Hội đồng Thi đua – Khen thưởng Sở"
    member = login("minh")
    assert f'href="{edit}"' not in member.get(detail).content.decode()
    assert member.get(edit).status_code == 403
    assert (
        member.post(edit, {"name": "x", "standing_body": council.standing_body_id}).status_code
        == 403
    )
