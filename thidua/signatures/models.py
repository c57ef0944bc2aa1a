"""PDFs signed outside the system with a USB token, uploaded back and validated.

One `SignedPdf` per uploaded file (kept under DATA_DIR, outside the web root, with its
SHA-256) and one `PdfSignature` per signature found in it. What a file signs is generic: an
issued document through the FK here, or a covenant revision through the covenant's
`Signature.signed_pdf` (covenants depend on this app, never the reverse).

Rows are written only by `thidua.signatures.services` and never changed afterwards: the
result is what was found at upload time, against the trust roots configured then.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignedPdf(models.Model):
    class Purpose(models.TextChoices):
        DOCUMENT = "document", _("Signed copy of an issued document")
        COVENANT = "covenant", _("Covenant signed by a member unit")

    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    document = models.ForeignKey(
        "documents.IssuedDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_copies",
        verbose_name=_("issued document"),
    )
    # Relative to DATA_DIR/signed-pdfs; served only through permission-checked views.
    file_path = models.CharField(_("file"), max_length=300)
    file_name = models.CharField(_("uploaded file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    # The SHA-256 of the PDF the signatures had to be on (the issued or frozen PDF).
    original_sha256 = models.CharField(_("SHA-256 of the original PDF"), max_length=64, blank=True)
    is_valid = models.BooleanField(_("valid"), default=False)
    reason = models.TextField(_("why it is not valid"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("signed PDF")
        verbose_name_plural = _("signed PDFs")

    def __str__(self) -> str:
        return f"{self.file_name or self.sha256[:12]} ({self.get_purpose_display()})"

    @property
    def first_signature(self) -> PdfSignature | None:
        return self.signatures.first()


class PdfSignature(models.Model):
    signed_pdf = models.ForeignKey(SignedPdf, on_delete=models.CASCADE, related_name="signatures")
    order = models.PositiveSmallIntegerField(_("order"))
    field_name = models.CharField(_("signature field"), max_length=200, blank=True)
    signer_name = models.CharField(_("signer (certificate common name)"), max_length=300)
    signer_subject = models.TextField(_("certificate subject"), blank=True)
    serial = models.CharField(_("certificate serial number"), max_length=100, blank=True)
    issuer = models.TextField(_("certificate issuer"), blank=True)
    signed_at = models.DateTimeField(_("signing time claimed"), null=True, blank=True)
    timestamp_at = models.DateTimeField(_("trusted timestamp"), null=True, blank=True)
    covers_whole_file = models.BooleanField(_("covers the whole file"), default=False)
    intact = models.BooleanField(_("intact"), default=False)
    trusted = models.BooleanField(_("trusted"), default=False)
    is_valid = models.BooleanField(_("valid"), default=False)
    reason = models.TextField(_("why it is not valid"), blank=True)

    class Meta:
        ordering = ["signed_pdf", "order"]
        verbose_name = _("PDF signature")
        verbose_name_plural = _("PDF signatures")

    def __str__(self) -> str:
        return f"{self.signer_name} ({'valid' if self.is_valid else 'not valid'})"
