"""The shared content sniffing behind every upload check."""

from __future__ import annotations

import pytest

from thidua.lib.filetypes import sniff


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (b"\xff\xd8\xff\xe0JFIF", "jpeg"),
        (b"PK\x03\x04\x14\x00", "zip"),
        (b"MZ\x90\x00", None),  # a Windows program, whatever it is named
        (b" %PDF-1.7", None),  # not at the start
        (b"", None),
    ],
)
def test_the_first_bytes_decide(data: bytes, kind: str | None) -> None:
    assert sniff(data) == kind
