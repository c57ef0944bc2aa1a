"""The block's yearly covenant (giao ước thi đua): its text, targets, signatures and returns.

Rows are written only by `thidua.covenants.services`. A signature points to the text revision
and hash it signed, so a changed text visibly invalidates it instead of silently carrying it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.campaigns.models import BlockCycle, Criterion
from thidua.org.models import BlockTerm, Unit
from thidua.signatures.models import SignedPdf


class Covenant(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being drafted by the block leader")
        SIGNING = "signing", _("Out for signature")
        SUBMITTED = "submitted", _("Submitted to the secretariat")
        ACCEPTED = "accepted", _("Accepted by the secretariat")
        SUPERSEDED = "superseded", _("Replaced by a correction")

    term = models.ForeignKey(BlockTerm, on_delete=models.PROTECT, related_name="covenants")
    cycle = models.ForeignKey(BlockCycle, on_delete=models.PROTECT, related_name="covenants")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=300)
    legal_bases = models.TextField(_("legal bases"), blank=True)
    commitments = models.TextField(_("commitments"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # The revision a signer sees; it moves only when a changed text is circulated again.
    revision = models.PositiveSmallIntegerField(_("text revision"), default=0)
    text_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    is_late = models.BooleanField(_("submitted late"), default=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["term", "-version"]
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")
        constraints = [
            models.UniqueConstraint(fields=["term", "version"], name="one_covenant_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.status in (
            self.Status.SUBMITTED,
            self.Status.ACCEPTED,
            self.Status.SUPERSEDED,
        )


class CovenantItem(models.Model):
    """One criterion of the campaign with the block's target for it."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="items")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    group_code = models.CharField(_("content group"), max_length=20)
    group_title = models.CharField(_("content group title"), max_length=500)
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("criterion"))
    target = models.TextField(_("target"), blank=True)

    class Meta:
        ordering = ["covenant", "order"]
        verbose_name = _("covenant item")
        verbose_name_plural = _("covenant items")

    def __str__(self) -> str:
        return f"{self.code}: {self.target[:60]}"


class Signature(models.Model):
    class Method(models.TextChoices):
        PASSWORD = "password", _("In-system signature (password re-entered)")
        TOKEN = "token", _("Digital signature with a USB token")

    covenant = models.ForeignKey(Covenant, on_delete=models.PROTECT, related_name="signatures")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    revision = models.PositiveSmallIntegerField(_("text revision"))
    text_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    invalidated_at = models.DateTimeField(_("invalidated at"), null=True, blank=True)
    invalidated_note = models.CharField(_("why it is no longer valid"), max_length=300, blank=True)
    # A token signature: the uploaded PDF, validated against the revision's frozen PDF.
    signed_pdf = models.ForeignKey(
        SignedPdf,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed PDF"),
    )

    class Meta:
        ordering = ["covenant", "signed_at", "id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "unit"],
                condition=Q(invalidated_at__isnull=True),
                name="one_valid_signature_per_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} signed v{self.covenant_id}.{self.revision}"

    @property
    def is_valid(self) -> bool:
        return self.invalidated_at is None


class CovenantRevision(models.Model):
    """The text of one circulated revision, frozen: the DOCX rendered when it was sent for
    signature and the PDF made from that DOCX, each with its SHA-256. Token signatures are
    validated against this PDF, so it is made once and never regenerated."""

    covenant = models.ForeignKey(Covenant, on_delete=models.PROTECT, related_name="revisions")
    revision = models.PositiveSmallIntegerField(_("text revision"))
    text_hash = models.CharField(max_length=64)
    # Relative to DATA_DIR/covenants, outside the web root.
    docx_path = models.CharField(_("DOCX file"), max_length=300, blank=True)
    docx_sha256 = models.CharField(_("SHA-256 of the DOCX"), max_length=64, blank=True)
    pdf_path = models.CharField(_("PDF file"), max_length=300, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    # Why a file could not be made (no template yet, LibreOffice missing): shown to users.
    error = models.TextField(_("why the file is missing"), blank=True)
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    class Meta:
        ordering = ["covenant", "revision"]
        verbose_name = _("covenant text revision")
        verbose_name_plural = _("covenant text revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "revision"], name="one_frozen_text_per_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.covenant_id} r{self.revision}"


class CovenantReturn(models.Model):
    """A member unit (or the secretariat) sent the text back with a reason."""

    class Stage(models.TextChoices):
        MEMBER = "member", _("Returned by a member unit")
        SECRETARIAT = "secretariat", _("Returned by the secretariat")

    covenant = models.ForeignKey(Covenant, on_delete=models.PROTECT, related_name="returns")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    revision = models.PositiveSmallIntegerField(_("text revision"))
    at = models.DateTimeField(_("returned at"), auto_now_add=True)

    class Meta:
        ordering = ["covenant", "at", "id"]
        verbose_name = _("covenant return")
        verbose_name_plural = _("covenant returns")

    def __str__(self) -> str:
        return f"{self.covenant_id}: {self.reason[:60]}"
