"""Bulk PDF issuing: N one-page decisions rendered to DOCX, then converted to PDF through
LibreOffice (a) naively, one soffice process per document, and (b) in batches, one soffice
process per `--batch-size` documents (thidua.documents.pdf.docx_to_pdf_many), optionally
several batches at once (`--jobs`).

    .venv/bin/python benchmarks/documents_pdf.py                      # N=100, both ways
    .venv/bin/python benchmarks/documents_pdf.py --count 1000 --skip-naive --batch-size 50 100
    .venv/bin/python benchmarks/documents_pdf.py --jobs 2

No database: the decision context is plain data (the shape generators.py builds for the
block-leaders decision, cut to one block so it fits one page), with a different number on
every document. Output: a table on stdout and benchmarks/out/documents_pdf.json.

Peak memory is ru_maxrss: for "self" this Python process, for "soffice" the largest single
LibreOffice process waited for so far (RUSAGE_CHILDREN reports the largest child, not a sum:
with --jobs J, up to J of them run at once).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))


def decision_context(number: int) -> dict[str, Any]:
    """A one-page QĐ phân công Khối trưởng: the demo decision's header and signer, one
    block, and its own running number."""
    return {
        "governing_body": "UBND THÀNH PHỐ CẦN THƠ",
        "issuer_name": "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "number_symbol": f"{number}/QĐ-SVHTTDL",
        "place_date": "Cần Thơ, ngày 25 tháng 12 năm 2020",
        "summary": "Về việc phân công Khối trưởng, Khối phó Khối thi đua số "
        f"{number} thuộc Sở Văn hóa, Thể thao và Du lịch năm 2021",
        "authority": "GIÁM ĐỐC SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "legal_bases": [
            "Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ "
            "sung một số điều của Luật Thi đua, Khen thưởng ngày 14 tháng 6 năm 2005 và ngày "
            "16 tháng 11 năm 2013;",
            "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy "
            "định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
        ],
        "proposal": "Theo đề nghị của Trưởng phòng Tổ chức – Pháp chế.",
        "article1": "Phân công Khối trưởng, Khối phó Khối thi đua năm 2021 như sau:",
        "blocks": [
            {
                "number": 1,
                "name": f"Khối thi đua số {number}",
                "leader": "Phòng Quản lý Văn hóa và Gia đình",
                "deputy": "Trung tâm Văn hóa thành phố",
                "members": ["Văn phòng Sở", "Phòng Tổ chức – Pháp chế", "Thư viện thành phố"],
            }
        ],
        "articles": [
            {
                "label": "Điều 2.",
                "text": "Quyết định này có hiệu lực kể từ ngày ký. Trưởng phòng Tổ chức – "
                "Pháp chế, Thủ trưởng các đơn vị có tên tại Điều 1 chịu trách nhiệm thi "
                "hành Quyết định này./.",
            }
        ],
        "recipients": ["- Như Điều 2;", "- Lưu: VT, TCPC."],
        "signer": {"authority": "", "title": "GIÁM ĐỐC", "name": "Nguyễn Khánh Tùng"},
    }


def peak_mb() -> tuple[float, float]:
    """(self, largest child) peak RSS in MB; Linux reports ru_maxrss in KiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def timed(label: str, count: int, run: Callable[[], list[Any]]) -> dict[str, Any]:
    start = time.perf_counter()
    results = run()
    seconds = time.perf_counter() - start
    failures = sum(1 for r in results if not isinstance(r, bytes))
    own, child = peak_mb()
    row = {
        "mode": label,
        "documents": count,
        "seconds": round(seconds, 2),
        "docs_per_second": round(count / seconds, 2),
        "failures": failures,
        "peak_self_mb": round(own, 1),
        "peak_soffice_mb": round(child, 1),
    }
    print(
        f"{label:<28} {count:>6} docs {seconds:>8.2f} s {row['docs_per_second']:>8.2f} docs/s "
        f"failures {failures:>3}  peak self {own:>6.1f} MB  soffice {child:>6.1f} MB",
        flush=True,
    )
    return row


def batched(docs: Sequence[bytes], batch_size: int, jobs: int) -> list[bytes | Exception]:
    from thidua.documents.pdf import docx_to_pdf_many

    if jobs == 1:
        return docx_to_pdf_many(docs, batch_size=batch_size)
    chunks = [docs[i : i + batch_size] for i in range(0, len(docs), batch_size)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        parts = pool.map(lambda chunk: docx_to_pdf_many(chunk, batch_size=batch_size), chunks)
        return [result for part in parts for result in part]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--batch-size", type=int, nargs="+", default=[50])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1])
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument(
        "--naive-count", type=int, help="documents for the naive run (default --count)"
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    import django

    django.setup()
    from thidua.documents.pdf import docx_to_pdf, pdf_available
    from thidua.documents.rendering import render_docx

    available, reason = pdf_available()
    if not available:
        sys.exit(reason)

    rows = []
    start = time.perf_counter()
    docs = [
        render_docx("quyet_dinh_phan_cong_khoi.docx", decision_context(1000 + i))
        for i in range(args.count)
    ]
    render_seconds = time.perf_counter() - start
    print(
        f"{'render DOCX':<28} {args.count:>6} docs {render_seconds:>8.2f} s "
        f"{args.count / render_seconds:>8.2f} docs/s",
        flush=True,
    )

    if not args.skip_naive:
        naive_docs = docs[: args.naive_count or args.count]

        def naive() -> list[Any]:
            return [docx_to_pdf(doc) for doc in naive_docs]

        rows.append(timed("naive (1 soffice per doc)", len(naive_docs), naive))

    for batch_size in args.batch_size:
        for jobs in args.jobs:
            label = f"batched {batch_size}" + (f" × {jobs} jobs" if jobs > 1 else "")
            rows.append(timed(label, len(docs), lambda b=batch_size, j=jobs: batched(docs, b, j)))

    OUT.mkdir(parents=True, exist_ok=True)
    report = {
        "machine": (
            f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
        ),
        "render_docx_seconds": round(render_seconds, 2),
        "rows": rows,
    }
    (OUT / "documents_pdf.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
