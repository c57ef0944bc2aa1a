"""Covenants and signed PDFs are shown read-only in the admin."""

from __future__ import annotations

import pytest

from thidua.covenants.models import Covenant


@pytest.mark.parametrize(
    "url",
    [
        "/admin/signatures/signedpdf/",
        "/admin/covenants/covenant/",
        "/admin/covenants/covenantitem/",
        "/admin/covenants/signature/",
        "/admin/covenants/covenantrevision/",
    ],
)
def test_the_admin_lists_open_and_nothing_can_be_added(login, url):
    client = login("khoa")
    assert client.get(url).status_code == 200
    assert client.get(url + "add/").status_code == 403


def test_a_covenant_opens_read_only(login):
    covenant = Covenant.objects.get(term__block__code="K1", term__year=2021)
    page = login("khoa").get(f"/admin/covenants/covenant/{covenant.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
