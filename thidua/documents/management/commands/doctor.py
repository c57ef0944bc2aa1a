"""`manage.py doctor`: what this machine lacks to produce documents, and the apt-get line
that fixes it (stack.md §2.7). Exits 1 when PDF files cannot be made."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from thidua.documents.pdf import SOFFICE_PACKAGE, PdfUnavailable, soffice_path

# Times New Roman-metric families that print Vietnamese fully (layout.FONT_SUBSTITUTES).
FONT_FAMILIES = ("Liberation Serif", "Tinos")
# ơ ư đ ệ ở Ẩ: the letters fonts-liberation 1.x lacks, so a family that has them all has
# the stacked marks too (stack.md §2.7, checked with fontTools).
VIETNAMESE_CHARSET = "1a1 1b0 111 1ec7 1edf 1ea8"
FONT_PACKAGES = ("fonts-liberation2", "fonts-croscore")
POPPLER_TOOLS = ("pdftotext", "pdftoppm", "pdffonts", "pdfinfo")
POPPLER_PACKAGE = "poppler-utils"


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    packages: tuple[str, ...] = ()
    required: bool = True  # False: only tests and review need it


def _fc_families(pattern: str) -> set[str]:
    if shutil.which("fc-list") is None:
        return set()
    result = subprocess.run(
        ["fc-list", "-f", "%{family[0]}\n", pattern],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return {line.strip() for line in result.stdout.splitlines() if line.strip()}


def check_soffice() -> Check:
    try:
        path = soffice_path()
    except PdfUnavailable as error:
        return Check("LibreOffice (soffice)", False, error.reason, (SOFFICE_PACKAGE,))
    return Check("LibreOffice (soffice)", True, path)


def check_fonts() -> Check:
    complete = _fc_families(f":charset={VIETNAMESE_CHARSET}") & set(FONT_FAMILIES)
    if complete:
        return Check("Fonts with full Vietnamese coverage", True, ", ".join(sorted(complete)))
    present = _fc_families(":") & set(FONT_FAMILIES)
    if "Liberation Serif" in present:
        detail = (
            "only Liberation Serif 1.x (fonts-liberation) is installed: it lacks ơ, ư and "
            "the stacked marks, so PDFs would print them in a fallback font"
        )
    else:
        detail = "neither Liberation Serif 2 nor Tinos is installed"
    return Check("Fonts with full Vietnamese coverage", False, detail, FONT_PACKAGES)


def check_poppler() -> Check:
    missing = [tool for tool in POPPLER_TOOLS if shutil.which(tool) is None]
    if missing:
        return Check(
            "Poppler tools (tests, review PNGs)",
            False,
            "missing: " + ", ".join(missing),
            (POPPLER_PACKAGE,),
            required=False,
        )
    return Check("Poppler tools (tests, review PNGs)", True, ", ".join(POPPLER_TOOLS))


class Command(BaseCommand):
    help = "List what is missing on this machine to produce DOCX and PDF documents."

    def handle(self, *args: Any, **options: Any) -> None:
        checks = [check_soffice(), check_fonts(), check_poppler()]
        for check in checks:
            if check.ok:
                mark = self.style.SUCCESS("ok  ")
            elif check.required:
                mark = self.style.ERROR("MISSING")
            else:
                mark = self.style.WARNING("missing")
            self.stdout.write(f"{mark} {check.name}: {check.detail}")
        packages = sorted({p for check in checks if not check.ok for p in check.packages})
        if packages:
            self.stdout.write(
                "\nTo fix: sudo apt-get install --no-install-recommends " + " ".join(packages)
            )
        if any(not check.ok and check.required for check in checks):
            # DOCX still works without these; only PDF output is impossible.
            raise CommandError("PDF documents cannot be produced on this machine.", returncode=1)
        self.stdout.write(self.style.SUCCESS("\nDocuments: DOCX and PDF can be produced."))
