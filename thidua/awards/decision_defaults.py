"""What the pages drafting an award decision offer before the secretariat edits them: the
levels of titles and forms an agency awards itself, the legal bases it cites, the summary,
authority and signer (awards.issuing issues the decision)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from thidua.documents import services as documents
from thidua.documents.legal import national_bases_on
from thidua.documents.models import IssuingBody
from thidua.lib.text import fold
from thidua.org.documents import standing_body
from thidua.org.models import Unit, UnitKind

from .models import AwardForm, AwardLevel
from .services import AwardInput


def awardable_levels(agency: Unit) -> list[str]:
    """The levels of titles and forms `agency` awards itself: a Department awards the
    agency-level ones (Giấy khen of its Director, Chiến sĩ thi đua cơ sở…); the province or
    city (an agency with no agency above it) also awards its own."""
    parent = agency.parent
    while parent is not None and parent.kind != UnitKind.AGENCY:
        parent = parent.parent
    if parent is None:
        return [AwardLevel.PROVINCIAL, AwardLevel.AGENCY]
    return [AwardLevel.AGENCY]


def level_errors(agency: Unit, awards: list[AwardInput]) -> list[str]:
    levels = awardable_levels(agency)
    errors = []
    for index, item in enumerate(awards, start=1):
        if item.form.level not in levels:
            errors.append(
                _("Row %(row)s: “%(form)s” is not awarded by %(agency)s.")
                % {"row": item.row or index, "form": item.form.name, "agency": agency.name}
            )
    return errors


def awardable_forms(agency: Unit) -> Any:
    return AwardForm.objects.filter(level__in=awardable_levels(agency))


def default_legal_bases(agency: Unit, day: dt.date) -> list[str]:
    """The national bases in force on `day`, then the agency's own (those its campaign of
    that year cites: the province's regulation, the agency's rules), without repeats."""
    from thidua.campaigns.models import LegalBasis

    bases = list(national_bases_on(day))
    seen = {fold(b).rstrip(";. ") for b in bases}
    own = LegalBasis.objects.filter(campaign__agency=agency, campaign__year=day.year)
    for basis in own.order_by("order"):
        text = " ".join(basis.text.split()).rstrip(";. ")
        if fold(text) not in seen:
            seen.add(fold(text))
            bases.append(text)
    return bases


def _authority(signer_title: str, body: IssuingBody) -> str:
    """ "Giám đốc Sở …": the signer's post (the Director by default) and the body."""
    title = " ".join(signer_title.split()) or "Giám đốc"
    return f"{title[:1].upper()}{title[1:].lower()} {body.name}"


def draft_defaults(agency: Unit, day: dt.date) -> dict[str, str]:
    """What the draft page offers before the secretariat edits it."""
    from thidua.campaigns.models import Campaign

    campaign = Campaign.objects.filter(agency=agency, year__lte=day.year).order_by("-year").first()
    body = documents.issuing_body_of(agency)
    title = " ".join((campaign.signer_title if campaign else "").split()) or "Giám đốc"
    standing = standing_body(agency)
    return {
        "summary": "Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc",
        "authority": _authority(title, body),
        "achievement": "đã có thành tích xuất sắc trong thực hiện nhiệm vụ",
        "proposal": (
            f"Theo đề nghị của Trưởng {standing.name[:1].lower()}{standing.name[1:]}"
            if standing is not None
            else ""
        ),
        "signer_name": campaign.signer_name if campaign else "",
        "signer_title": title,
        "signer_authority": "",
        "legal_bases": "\n".join(default_legal_bases(agency, day)),
    }


def list_defaults(campaign: Any) -> dict[str, str]:
    """What the list-upload page offers before the secretariat edits it."""
    body = documents.issuing_body_of(campaign.agency)
    return {
        "summary": "Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc trong phong "
        f"trào thi đua năm {campaign.year}",
        "reason": f"đã có thành tích xuất sắc trong phong trào thi đua năm {campaign.year}",
        "authority": _authority(campaign.signer_title, body),
    }
