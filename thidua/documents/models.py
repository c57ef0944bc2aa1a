"""The numbering registry and the register of issued documents.

Nghị định 30/2020 Art. 15(1): numbers and dates follow the order of issue within the year,
starting from 01 on 1 January; the number and symbol of an issuer's document are unique in
the year; how administrative documents are numbered is left to the head of the issuer. This
registry keeps one series per issuing body, year and document type.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# ND 30 Phụ lục I: groups of abbreviations in a symbol are joined by "-", without spaces.
# Type abbreviations mix cases ("TTr", "QyĐ"), so both cases and Đ/đ are allowed.
symbol_validator = RegexValidator(
    r"^[A-Za-zĐđ0-9]+(-[A-Za-zĐđ0-9]+)*$",
    _("Use letters and digits, groups joined by “-”, without spaces."),
)


class DocumentType(models.Model):
    """A kind of document (Kế hoạch, Quyết định…) and whether its issues take a number.

    Catalogue data: Giấy khen and the covenant are numbered or not depending on the agency's
    practice, so the flag is data, not code.
    """

    code = models.CharField(
        _("abbreviation"), max_length=10, unique=True, validators=[symbol_validator]
    )
    name = models.CharField(_("name"), max_length=120)
    is_numbered = models.BooleanField(
        _("numbered"),
        default=True,
        help_text=_("Issued documents of this type take the next number of the year."),
    )
    is_nd30_type = models.BooleanField(
        _("Decree 30/2020 type"),
        default=True,
        help_text=_("Listed in Decree 30/2020, Appendix III; other types follow local practice."),
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class IssuingBody(models.Model):
    """What a unit prints in the header of the documents it issues.

    Kept here rather than on the unit so the organisation stays free of document concerns.
    """

    unit = models.OneToOneField(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="issuing_body",
    )
    symbol = models.CharField(
        _("symbol"),
        max_length=40,
        unique=True,
        validators=[symbol_validator],
        help_text=_("The issuer's abbreviation in document symbols, e.g. SVHTTDL."),
    )
    printed_name = models.CharField(
        _("name as printed"),
        max_length=255,
        blank=True,
        help_text=_("The issuer's name in the document header; the unit's name when empty."),
    )
    governing_body_name = models.CharField(
        _("governing body"),
        max_length=255,
        blank=True,
        help_text=_("The line above the issuer's name, e.g. UBND THÀNH PHỐ CẦN THƠ."),
    )
    place = models.CharField(
        _("place"), max_length=120, help_text=_("The place name before the date, e.g. Cần Thơ.")
    )

    class Meta:
        ordering = ["symbol"]
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")

    def __str__(self) -> str:
        return self.symbol

    @property
    def name(self) -> str:
        return self.printed_name or self.unit.name


class NumberCounter(models.Model):
    """The last number given in one series. Its row is locked while a number is taken, so
    two issues at the same moment queue instead of both reading the same value."""

    issuer = models.ForeignKey(
        IssuingBody, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="counters"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    doc_type = models.ForeignKey(
        DocumentType, verbose_name=_("document type"), on_delete=models.PROTECT, related_name="+"
    )
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "doc_type"], name="documents_counter_one_per_series"
            )
        ]
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")

    def __str__(self) -> str:
        return f"{self.issuer} {self.doc_type.code} {self.year}: {self.last_number}"


class PdfStatus(models.TextChoices):
    NONE = "none", _("No PDF")
    PENDING = "pending", _("PDF being made")
    READY = "ready", _("PDF ready")
    FAILED = "failed", _("PDF failed")


class IssuedDocument(models.Model):
    """One issued document: immutable once written. Corrections are new documents."""

    issuer = models.ForeignKey(
        IssuingBody, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="documents"
    )
    # The issuer's name when the document was issued; a later rename must not change what
    # the verification page says about an old paper.
    issuer_name = models.CharField(_("issuer name"), max_length=255)
    doc_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("document type"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    symbol = models.CharField(
        _("number and symbol"),
        max_length=80,
        blank=True,
        help_text=_("As printed after “Số:”, e.g. 3887/KH-SVHTTDL."),
    )
    issued_on = models.DateField(_("issued on"))
    summary = models.TextField(_("summary"))
    signer_name = models.CharField(_("signer"), max_length=200)
    signer_title = models.CharField(_("signer's title"), max_length=200)
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    docx_sha256 = models.CharField(_("SHA-256 of the DOCX"), max_length=64, blank=True)
    # Relative to DATA_DIR/documents, which is outside the web root: files are served, if at
    # all, by a view that checks permissions.
    pdf_path = models.CharField(_("PDF file"), max_length=300, blank=True)
    docx_path = models.CharField(_("DOCX file"), max_length=300, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    # What the document belongs to, so a campaign or a block can list its papers.
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    block = models.ForeignKey(
        "org.Block",
        verbose_name=_("block"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    # Which template made the files: the built-in one (version empty) or an agency's upload.
    template_key = models.CharField(_("template"), max_length=60, blank=True)
    template_version = models.ForeignKey(
        "TemplateVersion",
        verbose_name=_("template version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    template_sha256 = models.CharField(_("SHA-256 of the template"), max_length=64, blank=True)
    pdf_status = models.CharField(
        _("PDF"), max_length=12, choices=PdfStatus.choices, default=PdfStatus.NONE
    )
    pdf_error = models.TextField(_("PDF error"), blank=True)
    pdf_attempts = models.PositiveSmallIntegerField(_("PDF attempts"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "doc_type", "year", "number"],
                name="documents_issued_number_unique",
            )
        ]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")

    def __str__(self) -> str:
        return self.symbol or f"{self.doc_type.name} {self.verification_code}"


class TemplateVersion(models.Model):
    """An agency's own version of a built-in Word template, accepted only after it rendered
    with the template's sample data. At most one version per issuer and template is active;
    without one, the built-in file in docx_templates/ is used."""

    key = models.CharField(
        _("template"), max_length=60, help_text=_("The built-in template it replaces.")
    )
    issuer = models.ForeignKey(
        IssuingBody,
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="template_versions",
    )
    version = models.PositiveIntegerField(_("version"))
    # In the database rather than on disk: several application servers share it.
    content = models.BinaryField(_("file"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("in force"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["key", "issuer", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "issuer", "version"], name="documents_template_version_unique"
            ),
            models.UniqueConstraint(
                fields=["key", "issuer"],
                condition=models.Q(is_active=True),
                name="documents_template_one_active",
            ),
        ]
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")

    def __str__(self) -> str:
        return f"{self.key} v{self.version} ({self.issuer})"


class DocumentBatch(models.Model):
    """Many documents made at once in the job worker: all certificates of a decision, a
    block's dossier as one ZIP. Items are rows so a worker that dies part-way resumes where
    it stopped, and a failed item is reported by name without stopping the others."""

    class Kind(models.TextChoices):
        CERTIFICATES = "certificates", _("Certificates of a decision")
        DOSSIER = "dossier", _("Block dossier (ZIP)")
        DOCUMENTS = "documents", _("Documents")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    issuer = models.ForeignKey(
        IssuingBody,
        verbose_name=_("issuer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="batches",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document_batches",
    )
    block = models.ForeignKey(
        "org.Block",
        verbose_name=_("block"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document_batches",
    )
    source = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("source document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="batches",
        help_text=_("The decision whose certificates the batch issues."),
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("items"), default=0)
    done_count = models.PositiveIntegerField(_("done"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    error = models.TextField(_("error"), blank=True)
    result_path = models.CharField(_("result file"), max_length=300, blank=True)
    result_sha256 = models.CharField(_("SHA-256 of the result"), max_length=64, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document batch")
        verbose_name_plural = _("document batches")

    def __str__(self) -> str:
        return self.title


class DocumentBatchItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(
        DocumentBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("position"))
    label = models.CharField(_("item"), max_length=300, help_text=_("Named in failure reports."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    context = models.JSONField(_("data"), default=dict, blank=True)
    document = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "position"], name="documents_batch_item_position_unique"
            )
        ]
        verbose_name = _("batch item")
        verbose_name_plural = _("batch items")

    def __str__(self) -> str:
        return self.label


class NationalLegalBasis(models.Model):
    """A national law or decree that decisions on emulation and commendation cite ("Căn cứ
    Luật…"), with the period in which a document dated that day may cite it.

    Configuration, not code: laws are amended and replaced (domain.md §1 tags the
    superseded ones [HIST]), and an agency must be able to add the next one without a
    release. A document dated D cites every basis in force on D, in `order`, and no other
    (`documents.legal.bases_not_in_force` refuses a typed-in one out of force on D). A law
    passed on one day may come into force much later: Law 06/2022 was passed on 15/06/2022
    and cited only from 01/01/2024.
    """

    text = models.TextField(
        _("citation"), help_text=_("As printed, starting with “Căn cứ”, without a final “;”.")
    )
    short_name = models.CharField(
        _("short name"), max_length=120, help_text=_("E.g. Nghị định 152/2025/NĐ-CP.")
    )
    passed_on = models.DateField(
        _("passed or signed on"),
        null=True,
        blank=True,
        help_text=_("The date in the citation: a law's passing, a decree's signing."),
    )
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(
        _("in force until"),
        null=True,
        blank=True,
        help_text=_("The last day before it was repealed or replaced; empty while in force."),
    )
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Where the dates were checked.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="documents_legal_basis_period",
            )
        ]
        verbose_name = _("national legal basis")
        verbose_name_plural = _("national legal bases")

    def __str__(self) -> str:
        return self.short_name
