"""Verification codes and the public address (and QR code) printed on every issued document."""

from __future__ import annotations

import io
import secrets

import segno
from django.conf import settings
from django.urls import reverse

# No 0/O, 1/I/L: a code copied by hand from paper must not be misread.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person typed or a URL carried, in the stored form: upper case, without the
    spaces or dashes people add when copying a code from paper."""
    return "".join(raw.split()).replace("-", "").upper()[:40]


def verification_url(code: str) -> str:
    """The absolute public address printed (and encoded in the QR code) on the document."""
    base = str(settings.PUBLIC_BASE_URL).rstrip("/")
    return base + reverse("document_verify", args=[code])


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """A QR code for the templates. Error level M survives a stamp or a fold on paper."""
    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(url: str, *, scale: int = 4) -> str:
    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(
        buffer, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True
    )
    return buffer.getvalue().decode("utf-8")
