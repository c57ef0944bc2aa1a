"""The Word templates of an initiative's papers (thidua/initiatives/documents.py builds their
contexts), on the ND 30 blocks of build_templates: `python -m tools.build_templates` builds
them with the others."""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document

from thidua.documents import layout
from tools import build_templates as nd30

# Authors: STT, name, unit, position, share.
AUTHORS_MM = [14.0, 50.0, 50.0, 31.0, 20.0]
AUTHOR_COLUMNS = ["STT", "Họ và tên", "Nơi công tác", "Chức danh", "Tỷ lệ đóng góp"]
AUTHOR_CELLS = [
    ("{{ author.number }}", "ND30TableCentre"),
    ("{{ author.name }}", "ND30TableText"),
    ("{{ author.unit }}", "ND30TableText"),
    ("{{ author.position }}", "ND30TableText"),
    ("{{ author.share }}", "ND30TableCentre"),
]


def _authors_table(doc: Document) -> None:
    nd30._list_table(doc, AUTHORS_MM, AUTHOR_COLUMNS, "author in authors", AUTHOR_CELLS)
    nd30._para(doc, "", "ND30Rule")


def build_don_yeu_cau_sang_kien() -> Document:
    """Đơn yêu cầu công nhận sáng kiến: the authors' request, laid out as a "văn bản có tên
    loại" (Mẫu 1.4) with "Kính gửi" (Mục II.9) and no number; the authors' table, the
    initiative's description under labelled headings, the files attached, the commitment,
    and the first author signing for the group."""
    doc = nd30._base("Đơn yêu cầu công nhận sáng kiến")
    nd30._header(doc, number_optional=True)
    nd30._title(doc, "ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN")
    nd30._addressees(doc)
    nd30._para(doc, "{{ intro }}", "ND30Body")
    _authors_table(doc)
    nd30._optional(doc, "collective", "ND30Body")
    nd30._para(doc, "{{ request }}", "ND30Body")
    nd30._labelled(doc, "1. Tên sáng kiến:", "initiative.title")
    nd30._labelled(doc, "2. Loại giải pháp:", "initiative.kind")
    nd30._labelled(doc, "3. Lĩnh vực áp dụng:", "initiative.field")
    nd30._labelled(doc, "4. Ngày sáng kiến được áp dụng lần đầu:", "initiative.first_applied")
    nd30._para(doc, "5. Nội dung, tính mới của sáng kiến:", "ND30Heading")
    nd30._loop(doc, "text", "initiative.improves", "{{ text }}", "ND30Body")
    nd30._labelled(doc, "6. Nơi đã áp dụng:", "initiative.applied_at")
    nd30._para(doc, "7. Hiệu quả, lợi ích thu được:", "ND30Heading")
    nd30._loop(doc, "text", "initiative.effect", "{{ text }}", "ND30Body")
    nd30._para(doc, "8. Tài liệu kèm theo:", "ND30Heading")
    nd30._loop(doc, "line", "attachments", "- {{ line }}", "ND30Body")
    nd30._para(doc, "{{ commitment }}", "ND30Body")
    nd30._signature(doc)
    nd30._verification(doc)
    nd30._finish(doc)
    return doc


def build_bien_ban_xet_sang_kien() -> Document:
    """Biên bản họp xét công nhận sáng kiến (Mẫu 1.9: numbered, no place/date line): time,
    place, chair, secretary and attendance; the initiative and its authors; the score or
    the vote; the members' opinion; the conclusion; secretary and chair sign side by side."""
    doc = nd30._base("Biên bản xét công nhận sáng kiến")
    nd30._header(doc, place_date=False)
    nd30._title(doc, "BIÊN BẢN")
    nd30._labelled(doc, "Thời gian bắt đầu:", "started")
    nd30._labelled(doc, "Địa điểm:", "venue")
    nd30._labelled(doc, "Chủ trì:", "chair.line")
    nd30._labelled(doc, "Thư ký:", "secretary.line")
    nd30._labelled(doc, "Thành phần tham dự:", "attendance")
    nd30._para(doc, "NỘI DUNG", "ND30Decides")
    nd30._para(doc, "I. SÁNG KIẾN ĐỀ NGHỊ CÔNG NHẬN", "ND30Heading")
    nd30._labelled(doc, "Tên sáng kiến:", "initiative_title")
    nd30._para(doc, "Tác giả:", "ND30Body")
    _authors_table(doc)
    nd30._para(doc, "II. KẾT QUẢ ĐÁNH GIÁ", "ND30Heading")
    nd30._loop(doc, "line", "result", "{{ line }}", "ND30Body")
    nd30._loop(doc, "text", "opinion", "{{ text }}", "ND30Body")
    nd30._para(doc, "III. KẾT LUẬN", "ND30Heading")
    nd30._para(doc, "{{ conclusion }}", "ND30Body")
    nd30._para(doc, "{{ ended }}", "ND30Body")
    nd30._two_signers_and_close(
        doc, ("THƯ KÝ", "{{ secretary.name }}"), ("CHỦ TRÌ", "{{ chair.name }}")
    )
    return doc


def build_quyet_dinh_cong_nhan_sang_kien() -> Document:
    """Quyết định công nhận sáng kiến (Mẫu 1.2): the authority, căn cứ, the proposal;
    Điều 1 recognises the initiative at its scope with the authors' table under it, Điều 2
    the period it counts for, Điều 3 execution; Nơi nhận and the signature."""
    doc = nd30._base("Quyết định công nhận sáng kiến")
    nd30._header(doc)
    nd30._title(doc, "QUYẾT ĐỊNH")
    nd30._para(doc, "{{ authority }}", "ND30Authority")
    nd30._loop(doc, "basis", "legal_bases", "{{ basis }}", "ND30LegalBasis")
    nd30._optional(doc, "proposal", "ND30LegalBasis")
    nd30._para(doc, "QUYẾT ĐỊNH:", "ND30Decides")
    nd30._mixed(doc, "ND30Body", [("{{ article1.label }}", True), (" {{ article1.text }}", False)])
    _authors_table(doc)
    nd30._para(doc, "{%p for article in articles %}", "ND30Body")
    nd30._mixed(doc, "ND30Body", [("{{ article.label }}", True), (" {{ article.text }}", False)])
    nd30._para(doc, "{%p endfor %}", "ND30Body")
    nd30._signature(doc)
    nd30._verification(doc)
    nd30._finish(doc)
    return doc


assert sum(AUTHORS_MM) == layout.PAGE.text_width_mm

TEMPLATES: dict[str, Callable[[], Document]] = {
    "don_yeu_cau_sang_kien.docx": build_don_yeu_cau_sang_kien,
    "bien_ban_xet_sang_kien.docx": build_bien_ban_xet_sang_kien,
    "quyet_dinh_cong_nhan_sang_kien.docx": build_quyet_dinh_cong_nhan_sang_kien,
}
