"""The list of recipients of an award decision (the annex of a Quyết định khen thưởng): read
from the secretariat's Excel file, kept with the issued decision, and turned into one
certificate (Giấy khen) per recipient by a background batch.

The file is checked by content (openpyxl, not the file name); every wrong cell is reported
by row and column, and nothing is issued while any row is wrong.

The list is stored as a JSON file beside the decision's DOCX (DATA_DIR/documents, written in
the issue's transaction): the decision's annex as issued, with the signer and place line its
certificates print. The award register records the same decision with one Award per row in
that transaction (awards.issuing.list_decision_issue); the caller passes the register's
rows to `certificates_start` as plain dicts.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from thidua.documents.models import DocumentBatch, IssuedDocument
from thidua.lib import files, xlsx
from thidua.lib.dates import today
from thidua.lib.files import Area
from thidua.org.permissions import Action, Actor, authorize

from .workbooks import CellError, read_rows

TEMPLATE_FILE_NAME = "mau-danh-sach-khen-thuong.xlsx"
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
INDIVIDUAL = "Cá nhân"
COLLECTIVE = "Tập thể"
# The header row as printed in the template (the Vietnamese words are the format itself,
# like the import workbook's: a file made in one language is read in any other).
HEADERS = ("Họ tên / Tên tập thể", "Chức vụ – Đơn vị", "Hình thức / Danh hiệu", "Cá nhân / Tập thể")
COLUMNS = "ABCD"
CERTIFICATE_CODE = "GK"


class AwardListError(ValidationError):
    """The list is wrong; `errors` names each wrong cell."""

    def __init__(self, errors: list[CellError]) -> None:
        super().__init__([str(error) for error in errors])
        self.cell_errors = errors


def build_template() -> bytes:
    """An empty list with the header row and one example row, for the secretariat to fill."""
    workbook = xlsx.new_workbook()
    sheet = xlsx.add_sheet(workbook, "Danh sách", widths=(36, 48, 30, 18))
    xlsx.append(sheet, HEADERS, xlsx.Style(bold=True))
    xlsx.append(
        sheet,
        ["Bà Nguyễn Thị Hằng", "Trưởng phòng Quản lý Văn hóa và Gia đình", "Giấy khen", INDIVIDUAL],
    )
    return xlsx.workbook_bytes(workbook)


def parse_award_list(data: bytes) -> list[dict[str, Any]]:
    """The rows of the list as {"name", "detail", "title", "kind", "row"} ("row" is the
    sheet's row number, for messages about the row later on); raises AwardListError
    naming every wrong cell, or ValidationError when the file is not a list at all."""
    sheet_rows = read_rows(
        data,
        headers=HEADERS,
        max_rows=MAX_ROWS,
        max_bytes=MAX_BYTES,
        too_many=_("At most %(count)s recipients are listed in one decision.")
        % {"count": MAX_ROWS},
    )
    awards: list[dict[str, Any]] = []
    errors: list[CellError] = []
    for number, row in sheet_rows:
        name, detail, title, kind = (_text(value) for value in row)
        for column, value in zip(COLUMNS[:3], (name, detail, title), strict=True):
            if not value:
                errors.append(CellError(number, column, _("this cell is empty.")))
        kinds = {INDIVIDUAL.casefold(): INDIVIDUAL, COLLECTIVE.casefold(): COLLECTIVE}
        if kind.casefold() not in kinds:
            errors.append(
                CellError(
                    number,
                    "D",
                    _("write “%(individual)s” or “%(collective)s”.")
                    % {"individual": INDIVIDUAL, "collective": COLLECTIVE},
                )
            )
        for column, value in zip(COLUMNS[:3], (name, detail, title), strict=True):
            if len(value) > 300:
                errors.append(CellError(number, column, _("longer than 300 characters.")))
        awards.append(
            {
                "name": name,
                "detail": detail,
                "title": title,
                "kind": kinds.get(kind.casefold(), ""),
                "row": number,
            }
        )
    if errors:
        raise AwardListError(errors)
    if not awards:
        raise ValidationError(_("The list has no recipient."))
    return awards


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def split(awards: list[dict[str, Any]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(collectives, individuals), each in the order of the file."""
    pick = ("name", "detail", "title")
    collectives = [{k: a[k] for k in pick} for a in awards if a["kind"] == COLLECTIVE]
    individuals = [{k: a[k] for k in pick} for a in awards if a["kind"] == INDIVIDUAL]
    return collectives, individuals


# The annex kept with the decision ---------------------------------------------------------------


def annex_name(document: IssuedDocument) -> str:
    """The annex's name in the documents area, beside the DOCX; "" without a DOCX."""
    if not document.docx_path:
        return ""
    return PurePosixPath(document.docx_path).with_suffix(".awards.json").as_posix()


def write_annex(document: IssuedDocument, annex: dict[str, Any]) -> str:
    """Store the list the decision was issued with and return its name; the caller
    removes it (files.delete) if the issue's transaction rolls back."""
    name = annex_name(document)
    if not name:
        raise ValueError("the decision has no stored file to keep its list beside")
    data = json.dumps(annex, ensure_ascii=False, indent=1).encode("utf-8")
    return files.write(Area.DOCUMENTS, name, data)


def read_annex(document: IssuedDocument) -> dict[str, Any] | None:
    raw = files.read_if_exists(Area.DOCUMENTS, annex_name(document))
    if raw is None:
        return None
    data: dict[str, Any] = json.loads(raw.decode("utf-8"))
    return data


# All certificates of a decision -------------------------------------------------------------


def certificate_items(
    decision: IssuedDocument, annex: dict[str, Any]
) -> list[tuple[str, dict[str, Any]]]:
    """One certificate per recipient, in the order of the annex (its register number),
    each printing the decision's number and date, and the recipient's own achievement
    when it has one (else the decision's)."""
    signer = annex["signer"]
    decision_date = decision.issued_on.strftime("%d/%m/%Y")
    items = []
    ordered = [a for a in annex["awards"] if a["kind"] == COLLECTIVE] + [
        a for a in annex["awards"] if a["kind"] == INDIVIDUAL
    ]
    for position, award in enumerate(ordered, start=1):
        fields = {
            "authority_line": annex["authority"],
            "award_verb": "Tặng",
            "award_title": award["title"],
            "recipient_name": award["name"],
            "recipient_detail": award["detail"],
            "achievement": award.get("achievement") or annex["achievement"],
            "decision_number": decision.symbol,
            "decision_date": decision_date,
            "register_number": f"{position:02d}",
            "place_date": annex["place_date"],
            "signer": signer,
        }
        items.append(
            (
                award["name"],
                {
                    "doc_type_code": CERTIFICATE_CODE,
                    "issued_on": today().isoformat(),
                    "summary": _("%(title)s for %(name)s (decision %(decision)s)")
                    % {"title": award["title"], "name": award["name"], "decision": decision.symbol},
                    "signer_name": signer.get("name", ""),
                    "signer_title": " ".join(
                        p for p in (signer.get("authority", ""), signer.get("title", "")) if p
                    ),
                    "fields": fields,
                },
            )
        )
    return items


def certificates_start(
    *,
    actor: Actor,
    decision: IssuedDocument,
    token: str,
    params: dict[str, Any] | None = None,
    recipients: list[dict[str, Any]] | None = None,
) -> DocumentBatch:
    """Start issuing every certificate of an award decision in the background; a second
    click with the same page key returns the same batch.

    `recipients` ({"name", "detail", "title", "kind", "achievement"}), when given, replace
    the stored list: the award register passes the decision's Award rows, so a revoked award
    gets no certificate and the names are the register's."""
    from thidua.documents import batches

    authorize(actor, Action.DOCUMENT_ISSUE, decision.issuer.unit)
    annex = read_annex(decision)
    if annex is None:
        raise ValidationError(
            _("This document has no list of recipients to issue certificates for.")
        )
    if not getattr(actor, "pk", None):
        raise PermissionDenied
    if recipients is not None:
        annex = {**annex, "awards": recipients}
    return batches.batch_start(
        actor=actor,
        kind=DocumentBatch.Kind.CERTIFICATES,
        title=_("Certificates of decision %(symbol)s") % {"symbol": decision.symbol},
        items=certificate_items(decision, annex),
        issuer=decision.issuer,
        campaign=decision.campaign,
        source=decision,
        params={"template": "giay_khen.docx", "mode": "blank", **(params or {})},
        idempotency_key=f"certificates:{decision.pk}:{token}",
    )
