"""Read a rendered .docx the way Word lays it out: paragraphs in order, effective run
properties (run → paragraph style chain → document defaults), sections and headers.

Plain zip + lxml, so the tests check the XML itself rather than python-docx's view of it.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = f"{{{W_NS}}}"
TWIPS_PER_MM = 1440 / 25.4
# Rendered documents are copied here (git-ignored) for a person to open.
REVIEW_DIR = Path(__file__).resolve().parents[2] / "review" / "documents"


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def paragraph_text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def _on(element: Any) -> bool:
    """w:b / w:i: present means on unless w:val says 0/false."""
    return element.get(f"{W}val", "true") not in ("0", "false", "off")


@dataclass
class RunProps:
    font: str | None
    size_pt: float | None
    bold: bool
    italic: bool


class DocxFile:
    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.document = self.xml("word/document.xml")
        self.styles_root = self.xml("word/styles.xml")
        self.body = self.document.find(f"{W}body")
        self.styles = {s.get(f"{W}styleId"): s for s in self.styles_root.iter(f"{W}style")}
        rels = self.xml("word/_rels/document.xml.rels")
        self.rels = {r.get("Id"): r.get("Target") for r in rels}

    def xml(self, name: str) -> Any:
        return etree.fromstring(self.zip.read(name))

    # ------------------------------------------------------------ structure

    @property
    def section(self) -> Any:
        return self.body.find(f"{W}sectPr")

    def header(self, kind: str) -> Any | None:
        for ref in self.section.findall(f"{W}headerReference"):
            if ref.get(f"{W}type") == kind:
                return self.xml("word/" + self.rels[ref.get(f"{{{R_NS}}}id")])
        return None

    def paragraphs(self) -> list[Any]:
        """Every paragraph of the body in reading order, table cells included."""
        return list(self.body.iter(f"{W}p"))

    def lines(self) -> list[str]:
        return [normalise(paragraph_text(p)) for p in self.paragraphs()]

    def text(self) -> str:
        return "\n".join(line for line in self.lines() if line)

    def paragraph(self, text: str) -> Any:
        """The first paragraph whose normalised text equals `text`."""
        for p in self.paragraphs():
            if normalise(paragraph_text(p)) == text:
                return p
        raise AssertionError(f"no paragraph {text!r}")

    def tables(self) -> list[Any]:
        return list(self.body.iter(f"{W}tbl"))

    # ------------------------------------------------------------ formatting

    def _style_chain(self, style_id: str | None) -> list[Any]:
        chain = []
        while style_id and style_id in self.styles:
            style = self.styles[style_id]
            chain.append(style)
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
        if not chain and "Normal" in self.styles:
            chain.append(self.styles["Normal"])
        return chain

    def _rpr_chain(self, p: Any, run: Any | None) -> list[Any]:
        chain = []
        if run is not None and run.find(f"{W}rPr") is not None:
            chain.append(run.find(f"{W}rPr"))
        style = p.find(f"{W}pPr/{W}pStyle")
        for s in self._style_chain(style.get(f"{W}val") if style is not None else None):
            if s.find(f"{W}rPr") is not None:
                chain.append(s.find(f"{W}rPr"))
        default = self.styles_root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        if default is not None:
            chain.append(default)
        return chain

    def run_props(self, p: Any, run: Any | None = None) -> RunProps:
        """Effective properties of `run` (or of the paragraph's text if None)."""
        if run is None:
            runs = [r for r in p.iter(f"{W}r") if r.find(f"{W}t") is not None]
            run = runs[0] if runs else None
        font = size = bold = italic = None
        for rpr in self._rpr_chain(p, run):
            fonts = rpr.find(f"{W}rFonts")
            if font is None and fonts is not None:
                if fonts.get(f"{W}asciiTheme"):
                    font = "theme:" + fonts.get(f"{W}asciiTheme")
                elif fonts.get(f"{W}ascii"):
                    font = fonts.get(f"{W}ascii")
            sz = rpr.find(f"{W}sz")
            if size is None and sz is not None:
                size = int(sz.get(f"{W}val")) / 2
            b = rpr.find(f"{W}b")
            if bold is None and b is not None:
                bold = _on(b)
            i = rpr.find(f"{W}i")
            if italic is None and i is not None:
                italic = _on(i)
        return RunProps(font, size, bool(bold), bool(italic))

    def ppr_value(self, p: Any, path: str, attr: str) -> str | None:
        """A paragraph property from the paragraph or its style chain, e.g. ("jc", "val")."""
        candidates = [p.find(f"{W}pPr")]
        style = p.find(f"{W}pPr/{W}pStyle")
        for s in self._style_chain(style.get(f"{W}val") if style is not None else None):
            candidates.append(s.find(f"{W}pPr"))
        for ppr in candidates:
            if ppr is None:
                continue
            element = ppr.find("/".join(f"{W}{part}" for part in path.split("/")))
            if element is not None and element.get(f"{W}{attr}") is not None:
                return str(element.get(f"{W}{attr}"))
        return None


def seed_lines(text: str) -> list[str]:
    """The seed file's lines without markdown emphasis, whitespace normalised, blanks
    dropped."""
    text = text.replace("**", "").replace("*", "")
    return [normalise(line) for line in text.splitlines() if line.strip()]


def in_order(haystack: list[str], needles: list[str]) -> list[str]:
    """The needles not found as whole lines of `haystack` in the given order."""
    missing, position = [], 0
    for needle in needles:
        try:
            position = haystack.index(needle, position) + 1
        except ValueError:
            missing.append(needle)
    return missing


def mm(twips: str | int | None) -> float:
    return int(twips or 0) / TWIPS_PER_MM


def strip_bullet(line: str) -> str:
    return re.sub(r"^[-+]\s+", "", line)
