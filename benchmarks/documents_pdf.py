"""Bulk PDF issuing: N one-page decisions and N certificates (Giấy khen) rendered to DOCX,
then converted to PDF through LibreOffice (a) naively, one soffice process per document, and
(b) in batches, one soffice process per `--batch-size` documents
(thidua.documents.pdf.docx_to_pdf_many), optionally several batches at once (`--jobs`).

    .venv/bin/python benchmarks/documents_pdf.py          # 1,000 of each; naive sampled (40)
    .venv/bin/python benchmarks/documents_pdf.py --quick  # 20 of each, naive 3: a quick run
    .venv/bin/python benchmarks/documents_pdf.py --smoke  # 3 of each, every PDF checked (CI)
    .venv/bin/python benchmarks/documents_pdf.py --kinds decision --count 100 --naive-count 100

The naive way costs the same for every document (a LibreOffice start each time), so it runs
on the first `--naive-count` documents of each kind only and its rate is extrapolated to N;
the table says so and prints the sample size. `--naive-count 0` skips it.

No database: the decision context is plain data (the shape generators.py builds for the
block-leaders decision, cut to one block so it fits one page), with a different number on
every document; the certificate is certificate.certificate_sample() in blank mode (for
pre-printed paper) with its own awardee, register number and verification code (so a QR
code) on each. Output: a table on stdout and benchmarks/out/documents_pdf.json.

Peak memory: "self" is this Python process's ru_maxrss (it holds every DOCX and PDF of the
run). LibreOffice's is sampled from /proc during each run (SofficeMemory): "soffice" is the
largest peak RSS (VmHWM) of a single LibreOffice process this script started, "all" the
largest sum of the RSS of those running at the same moment (up to --jobs of them). Not
RUSAGE_CHILDREN: Linux carries a process's peak RSS across exec, so a soffice forked from this
process (hundreds of MB after rendering 1,000 DOCX) reported the parent's size, not its own.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import resource
import subprocess
import sys
import threading
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


def certificate_context(number: int) -> dict[str, Any]:
    """The sample certificate with its own awardee, register number and verification code."""
    from thidua.documents.certificate import certificate_sample

    context = certificate_sample()
    code = f"B{number:07d}"
    context.update(
        {
            "recipient_name": f"Bà Nguyễn Thị Hằng {number}",
            "register_number": f"{number:03d}",
            "verification_code": code,
            "verification_url": f"https://thidua.example.vn/xac-thuc/{code}/",
        }
    )
    return context


def render_decision(number: int) -> bytes:
    from thidua.documents.rendering import render_docx

    return render_docx("quyet_dinh_phan_cong_khoi.docx", decision_context(number))


def render_certificate(number: int) -> bytes:
    from thidua.documents.certificate import render_certificate

    return render_certificate(certificate_context(number), mode="blank")


RENDERERS: dict[str, Callable[[int], bytes]] = {
    "decision": render_decision,
    "certificate": render_certificate,
}

# Text that only document `number` of a kind carries, to find in its PDF.
MARKERS: dict[str, Callable[[int], str]] = {
    "decision": lambda number: f"{number}/QĐ-SVHTTDL",
    "certificate": lambda number: f"Nguyễn Thị Hằng {number}",
}


def check_pdfs(kind: str, numbers: Sequence[int], results: Sequence[Any]) -> None:
    """Every conversion returned a PDF, and each PDF is its own document (in order): its
    text, read back with pdftotext, carries that document's number. Exits otherwise."""
    if len(results) != len(numbers):
        sys.exit(f"{kind}: {len(results)} results for {len(numbers)} documents")
    for number, pdf in zip(numbers, results, strict=True):
        if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF"):
            sys.exit(f"{kind} {number}: no PDF ({pdf!r:.200})")
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        if MARKERS[kind](number) not in " ".join(text.split()):
            sys.exit(f"{kind} {number}: the PDF does not carry {MARKERS[kind](number)!r}")


def peak_self_mb() -> float:
    """This process's peak RSS in MB; Linux reports ru_maxrss in KiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class SofficeMemory:
    """Samples the memory of the LibreOffice processes descended from this one, every
    `interval` seconds in a thread, while used as a context manager. Other people's
    LibreOffice processes on the same machine are not descendants and are not counted."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.single_mb = 0.0  # largest VmHWM of one process
        self.total_mb = 0.0  # largest sum of VmRSS at one moment
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SofficeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    # The command name is in parentheses and may contain spaces.
                    stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except (OSError, IndexError):
                    continue
                parents[int(entry.name)] = int(stat[1])
        ours = {os.getpid()}
        changed = True
        while changed:
            found = {pid for pid, parent in parents.items() if parent in ours} - ours
            changed = bool(found)
            ours |= found
        ours.discard(os.getpid())
        total = 0.0
        for pid in ours:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            # soffice.bin does the work; the shell wrapper and oosplash above it are small,
            # and a wrapper's peak could still be this process's, carried across exec.
            if status.split("\n", 1)[0].split()[-1] != "soffice.bin":
                continue
            values = dict(
                line.split(":", 1) for line in status.splitlines() if line.startswith("Vm")
            )
            rss = int(values.get("VmRSS", "0 kB").split()[0]) / 1024
            peak = int(values.get("VmHWM", "0 kB").split()[0]) / 1024
            total += rss
            self.single_mb = max(self.single_mb, peak)
        self.total_mb = max(self.total_mb, total)


def timed(
    label: str,
    count: int,
    run: Callable[[], list[Any]],
    *,
    render_seconds_each: float,
    extrapolate_to: int | None = None,
    check: Callable[[list[Any]], None] | None = None,
) -> dict[str, Any]:
    """Time one conversion run of `count` documents. The end-to-end rate adds the DOCX
    rendering time of those documents; `extrapolate_to` (the naive sample) reports the
    seconds N documents would take at the measured rate."""
    start = time.perf_counter()
    with SofficeMemory() as soffice:
        results = run()
    seconds = time.perf_counter() - start
    failures = sum(1 for r in results if not isinstance(r, bytes))
    if check:
        check(results)
    own, child = peak_self_mb(), soffice.single_mb
    end_to_end = seconds + render_seconds_each * count
    row = {
        "mode": label,
        "documents": count,
        "seconds": round(seconds, 2),
        "docs_per_second": round(count / seconds, 2),
        "with_render_docs_per_second": round(count / end_to_end, 2),
        "failures": failures,
        "peak_self_mb": round(own, 1),
        "peak_soffice_mb": round(child, 1),
        "peak_soffice_all_mb": round(soffice.total_mb, 1),
        # Other jobs on the same cores slow every figure down: the 1-minute load average
        # at the end of the run says how much.
        "load_1min": round(os.getloadavg()[0], 2),
    }
    note = ""
    if extrapolate_to:
        row["sampled"] = True
        row["extrapolated_seconds"] = round(extrapolate_to * end_to_end / count, 1)
        estimate = row["extrapolated_seconds"]
        note = f"  (sample of {count}; {extrapolate_to} would take ≈ {estimate:.0f} s)"
    print(
        f"{label:<32} {count:>6} docs {seconds:>8.2f} s {row['docs_per_second']:>7.2f} docs/s "
        f"(with DOCX {row['with_render_docs_per_second']:>6.2f}) failures {failures:>3}  "
        f"peak self {own:>6.1f} MB  soffice {child:>6.1f} MB (all {soffice.total_mb:>6.1f})  "
        f"load {row['load_1min']}{note}",
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
    parser.add_argument("--count", type=int, default=1000, help="documents of each kind")
    parser.add_argument("--kinds", nargs="+", choices=list(RENDERERS), default=list(RENDERERS))
    parser.add_argument("--batch-size", type=int, nargs="+", default=[50])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--naive-count",
        type=int,
        default=40,
        help="documents of each kind converted the naive way, extrapolated to --count "
        "(0 skips the naive run)",
    )
    parser.add_argument("--skip-naive", action="store_true", help="same as --naive-count 0")
    parser.add_argument(
        "--quick", action="store_true", help="a quick run: 20 of each, naive 3, batches of 10"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a CI run: 3 of each, naive 1, batches of 2 (1 and 2 jobs), every PDF checked",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.count, args.naive_count, args.batch_size = 20, 3, [10]
    if args.smoke:
        args.count, args.naive_count, args.batch_size, args.jobs = 3, 1, [2], [1, 2]
    if args.skip_naive:
        args.naive_count = 0

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    import django

    django.setup()
    from thidua.documents.pdf import docx_to_pdf, pdf_available

    available, reason = pdf_available()
    if not available:
        sys.exit(reason)

    report: dict[str, Any] = {
        "machine": (
            f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
        ),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "count": args.count,
        "naive_sample": min(args.naive_count, args.count),
        "kinds": {},
    }
    print(f"load average at start: {report['load_average_at_start']}", flush=True)
    for kind in args.kinds:
        print(f"--- {kind}", flush=True)
        render = RENDERERS[kind]
        start = time.perf_counter()
        docs = [render(1000 + i) for i in range(args.count)]
        render_seconds = time.perf_counter() - start
        each = render_seconds / args.count
        print(
            f"{'render DOCX':<32} {args.count:>6} docs {render_seconds:>8.2f} s "
            f"{args.count / render_seconds:>7.2f} docs/s",
            flush=True,
        )
        rows = []
        naive_rate = None
        numbers = [1000 + i for i in range(args.count)]
        sample = docs[: args.naive_count]
        if sample:

            def naive(sample: list[bytes] = sample) -> list[Any]:
                return [docx_to_pdf(doc) for doc in sample]

            row = timed(
                "naive (1 soffice per doc)",
                len(sample),
                naive,
                render_seconds_each=each,
                extrapolate_to=args.count if len(sample) < args.count else None,
                check=functools.partial(check_pdfs, kind, numbers[: len(sample)])
                if args.smoke
                else None,
            )
            naive_rate = row["with_render_docs_per_second"]
            rows.append(row)
        for batch_size in args.batch_size:
            for jobs in args.jobs:
                label = f"batched {batch_size}" + (f" × {jobs} jobs" if jobs > 1 else "")
                row = timed(
                    label,
                    len(docs),
                    functools.partial(batched, docs, batch_size, jobs),
                    render_seconds_each=each,
                    check=functools.partial(check_pdfs, kind, numbers) if args.smoke else None,
                )
                if naive_rate:
                    row["times_naive"] = round(row["with_render_docs_per_second"] / naive_rate, 1)
                    print(f"{'':<32} {row['times_naive']:.1f}× naive (with DOCX)", flush=True)
                rows.append(row)
        report["kinds"][kind] = {"render_docx_seconds": round(render_seconds, 2), "rows": rows}

    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(f"load average at end: {report['load_average_at_end']}", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    name = "documents_pdf-smoke.json" if args.smoke else "documents_pdf.json"
    (OUT / name).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if args.smoke:
        print("smoke: every PDF is its own document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
