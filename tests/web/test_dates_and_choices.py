"""One date format everywhere, input included: dd/mm/yyyy shown and read, ISO read too,
whatever the language of the page (an English browser's date widget wrote mm/dd/yyyy); block
members chosen from a searchable checklist; unit options without decorative prefixes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import lxml.html
import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from tests.org.factories import make_block, make_unit, make_user
from thidua.org.models import Role
from thidua.pages.forms import DateInput


class DayForm(forms.Form):
    day = forms.DateField(widget=DateInput())


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("04/01/2021", dt.date(2021, 1, 4)),
        ("4/1/2021", dt.date(2021, 1, 4)),
        ("2021-01-04", dt.date(2021, 1, 4)),
        ("04-01-2021", dt.date(2021, 1, 4)),
        ("01/13/2021", None),  # month first is never read, in any language
        ("31/02/2021", None),
    ],
)
def test_a_date_is_read_day_first_or_iso_in_every_language(
    language: str, typed: str, read: dt.date | None
) -> None:
    with translation.override(language):
        form = DayForm({"day": typed})
        assert form.is_valid() == (read is not None)
        assert form.cleaned_data.get("day") == read


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_date_field_is_a_text_box_showing_dd_mm_yyyy(language: str) -> None:
    with translation.override(language):
        field = lxml.html.fragment_fromstring(
            str(DayForm(initial={"day": dt.date(2021, 1, 4)})["day"])
        )
        again = lxml.html.fragment_fromstring(str(DayForm({"day": "2021-01-04"})["day"]))
    assert field.get("type") == "text" and field.get("placeholder") == "dd/mm/yyyy"
    assert field.get("value") == again.get("value") == "04/01/2021"


@pytest.mark.django_db
def test_block_members_are_a_checklist_and_units_have_no_prefix(client: Any) -> None:
    # An agency other than the demo's, with a unit two levels down.
    agency = make_unit(code="SONV", name="Sở Nội vụ tỉnh Hậu Giang")
    office = make_unit(code="VPS", name="Văn phòng Sở", parent=agency)
    make_unit(code="TOHC", name="Tổ Hành chính", parent=office)
    block = make_block(agency=agency)
    user = make_user(role=Role.SECRETARIAT, unit=agency, include_descendants=True)
    client.force_login(user)
    html = client.get(reverse("block_term_create", args=[block.pk])).content.decode()
    page = lxml.html.fromstring(html)
    assert not page.xpath("//select[@multiple]")
    checklist = page.xpath("//fieldset[.//*[@data-checklist]]")[0]
    assert checklist.xpath(".//input[@data-checklist-filter][@type='search'][@aria-label]")
    boxes = checklist.xpath(".//input[@type='checkbox'][@name='members']")
    labels = [page.xpath(f"//label[@for='{b.get('id')}']")[0].text_content() for b in boxes]
    assert "Tổ Hành chính (TOHC)" in labels
    options = [o.text_content() for o in page.xpath("//select[@name='leader']/option")]
    assert "Tổ Hành chính (TOHC)" in options
    assert not [o for o in options if o.startswith("—")]


def test_the_favicon_is_served_where_browsers_look_for_it(client: Any) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
