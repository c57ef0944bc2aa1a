"""Proposals up the chain: a block's dossier (hồ sơ đề nghị) to the Department's council, the
council's vote on it, the Department's proposal (tờ trình) to the level above, and the answer
that comes back.

What a dossier must hold is dated configuration per title (`DossierRequirement`), with its
legal basis, like the bonus multiples of `awards.AwardFormRate`: a checklist is evaluated
against the rows in force on the day, and each submission freezes its result.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.awards.models import AwardDecision, AwardForm
from thidua.campaigns.models import BlockCycle
from thidua.documents.models import IssuedDocument
from thidua.org.models import Unit
from thidua.reports.models import ReportVersion
from thidua.scoring.models import RankingSnapshot
from thidua.voting.models import Candidate, Tally


class RequirementKind(models.TextChoices):
    BLOCK_RANKING = "block_ranking", _("The block's published ranking")
    VOTE_MINUTES = "vote_minutes", _("The minutes of the block's year-end meeting")
    BLOCK_REPORT = "block_report", _("The block's summary report")
    MEMBER_REPORTS = "member_reports", _("The annual reports of every member unit")
    PROPOSAL_DOCUMENT = "proposal_document", _("The block's signed proposal (tờ trình)")
    UPLOAD = "upload", _("An uploaded file")


# Kinds satisfied by a file the leader uploads to the dossier.
FILE_KINDS = frozenset({RequirementKind.PROPOSAL_DOCUMENT, RequirementKind.UPLOAD})


class DossierRequirement(models.Model):
    """One item a dossier for `form` must (or may) contain, over a period."""

    form = models.ForeignKey(
        AwardForm,
        verbose_name=_("title or form"),
        on_delete=models.CASCADE,
        related_name="dossier_requirements",
    )
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("item"), max_length=300)
    kind = models.CharField(_("satisfied by"), max_length=20, choices=RequirementKind.choices)
    required = models.BooleanField(_("required"), default=True)
    legal_basis = models.TextField(_("legal basis"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["form", "order", "code", "-valid_from"]
        verbose_name = _("dossier requirement")
        verbose_name_plural = _("dossier requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "code", "valid_from"], name="proposals_requirement_version"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="proposals_requirement_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form.code}: {self.label}"


class Route(models.TextChoices):
    COUNCIL = "council", _("To the council, then the level above")
    OWN = "own", _("To the Department's own decision")


class Dossier(models.Model):
    """A block's proposal for one title for its leading unit, with what backs it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned to the block")
        ACCEPTED = "accepted", _("Accepted")

    cycle = models.ForeignKey(
        BlockCycle, verbose_name=_("block year"), on_delete=models.PROTECT, related_name="dossiers"
    )
    form = models.ForeignKey(
        AwardForm, verbose_name=_("title or form"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("proposed unit"), on_delete=models.PROTECT, related_name="+"
    )
    route = models.CharField(_("route"), max_length=10, choices=Route.choices)
    snapshot = models.ForeignKey(
        RankingSnapshot,
        verbose_name=_("published ranking"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    total = models.CharField(_("score"), max_length=20, blank=True)
    tally = models.ForeignKey(
        Tally,
        verbose_name=_("tally of the year-end meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The block's vote chose another unit than the ranking's first: shown, never hidden.
    differs_from_ranking = models.BooleanField(_("vote differs from the ranking"), default=False)
    minutes = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("minutes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    block_report = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("block report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    member_reports = models.ManyToManyField(
        ReportVersion, verbose_name=_("member reports"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    # The checklist as evaluated at the last submission.
    checklist = models.JSONField(_("checklist at submission"), default=list, blank=True)
    submissions = models.PositiveSmallIntegerField(_("submissions"), default=0)
    # Set when the council's agenda lists the dossier; the result is read from its tally.
    council_candidate = models.OneToOneField(
        Candidate,
        verbose_name=_("candidate before the council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["cycle__campaign__year", "cycle__term__block__code", "form__order"]
        verbose_name = _("proposal dossier")
        verbose_name_plural = _("proposal dossiers")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "form"], name="proposals_dossier_once")
        ]

    def __str__(self) -> str:
        return f"{self.form} — {self.unit}"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED


class DossierFile(models.Model):
    """A file attached to one item of a dossier (the signed tờ trình, a certificate…).
    Checked by content and kept outside the web root (like report evidence)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    requirement_code = models.CharField(_("item"), max_length=40)
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    path = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["dossier", "requirement_code", "uploaded_at"]
        verbose_name = _("dossier file")
        verbose_name_plural = _("dossier files")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "requirement_code", "sha256"], name="proposals_file_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DossierEvent(models.Model):
    """The history of a dossier, as its page shows it (the audit log keeps it too)."""

    class Action(models.TextChoices):
        PREPARED = "prepared", _("Prepared")
        SUBMITTED = "submitted", _("Submitted")
        RESUBMITTED = "resubmitted", _("Submitted again")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")
        ON_AGENDA = "on_agenda", _("Put before the council")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["dossier", "at", "id"]
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.action}"


class UpwardProposal(models.Model):
    """The Department's proposal (tờ trình) to the level above for one title, carrying the
    dossiers its council approved, and what became of it there."""

    class Status(models.TextChoices):
        DRAFTED = "drafted", _("Drafted")
        SENT = "sent", _("Sent")
        ACKNOWLEDGED = "acknowledged", _("Received by the level above")
        RETURNED = "returned", _("Returned for supplement")
        APPROVED = "approved", _("Decided: awarded")
        REJECTED = "rejected", _("Decided: not awarded")

    agency = models.ForeignKey(
        Unit, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    level_above = models.CharField(_("sent to"), max_length=255)
    form = models.ForeignKey(
        AwardForm, verbose_name=_("title or form"), on_delete=models.PROTECT, related_name="+"
    )
    dossiers = models.ManyToManyField(
        Dossier, verbose_name=_("dossiers"), related_name="upward_proposals"
    )
    document = models.OneToOneField(
        IssuedDocument,
        verbose_name=_("proposal document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="upward_proposal",
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.DRAFTED
    )
    decision = models.ForeignKey(
        AwardDecision,
        verbose_name=_("decision received"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("proposal to the level above")
        verbose_name_plural = _("proposals to the level above")

    def __str__(self) -> str:
        return f"{self.form} {self.year} → {self.level_above}"


class UpwardEvent(models.Model):
    """One line of the proposal's timeline: its status from that day, with the date and
    number the paper carried and who recorded it."""

    proposal = models.ForeignKey(UpwardProposal, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=15, choices=UpwardProposal.Status.choices)
    on = models.DateField(_("date"))
    number = models.CharField(_("number and symbol"), max_length=80, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "recorded_at", "id"]
        verbose_name = _("proposal status")
        verbose_name_plural = _("proposal statuses")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.status}"


# What the secretariat may record next, from each status (the answer has its own service).
NEXT_STATUS: dict[str, set[str]] = {
    UpwardProposal.Status.DRAFTED: {UpwardProposal.Status.SENT},
    UpwardProposal.Status.SENT: {
        UpwardProposal.Status.ACKNOWLEDGED,
        UpwardProposal.Status.RETURNED,
    },
    UpwardProposal.Status.ACKNOWLEDGED: {UpwardProposal.Status.RETURNED},
    UpwardProposal.Status.RETURNED: {UpwardProposal.Status.SENT},
}
