"""The campaign plan page: groups, criteria, milestones and computed results."""

from __future__ import annotations

from thidua.org.models import BlockTerm


def test_campaign_plan_shows_groups_criteria_milestones_and_computed_results(login):
    client = login("tuan")
    campaign_url = (
        "/campaigns/"
        + str(BlockTerm.objects.get(year=2021, block__code="K1").cycle.campaign_id)
        + "/"
    )
    html = client.get(campaign_url).content.decode()
    assert "3887/KH-SVHTTDL" in html
    for title in [
        "Hoàn thành nhiệm vụ chính trị",
        "Thực hiện tốt công tác cải cách hành chính",
        "Thực hiện phòng, chống tham nhũng",
    ]:
        assert title in html
    assert "15/11/2021" in html
    # The 95% criterion is computed: Nhà hát Tây Đô has 6 of 8 staff at HTTNV or better.
    assert "(6/8)" in html
