"""Agencies, units, people, ratings, discipline, blocks, councils, accounts, roles and Excel
import jobs.

Identity is stable (a unit's `code`, a person's `code`); names, parents and status are
dated history in UnitVersion, so "what was this unit called on 15/11/2021" stays answerable
after renames, moves, mergers and dissolutions.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.lib.dated import valid_on


class User(AbstractUser):
    """The custom user model, present from the first migration so it never has to be swapped."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    person = models.OneToOneField(
        "org.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    def __str__(self) -> str:
        return self.full_name or self.username


class UnitKind(models.TextChoices):
    AGENCY = "agency", _("Agency")
    DIVISION = "division", _("Specialised division")
    SERVICE_UNIT = "service_unit", _("Public service unit")
    OTHER = "other", _("Other")


class UnitStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")
    MERGED = "merged", _("Merged")
    DISSOLVED = "dissolved", _("Dissolved")


class Unit(models.Model):
    """A node of the organisation tree. Current name/parent/status are kept here for fast
    reads; the dated truth is UnitVersion, and services keep both in step."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.ACTIVE
    )
    # Materialised path of primary keys ("12/40/"), for subtree scoping in one LIKE query.
    path = models.CharField(max_length=500, db_index=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    search_text = models.CharField(max_length=600, editable=False, db_index=True)
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Demo data whose name is not given by the source document."),
    )

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == UnitStatus.ACTIVE

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class UnitVersion(models.Model):
    """What a unit was called, where it hung and whether it existed, over a period."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    parent = models.ForeignKey(
        Unit,
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=UnitStatus.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["unit", "valid_from"]
        verbose_name = _("unit version")
        verbose_name_plural = _("unit history")
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unit_version_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y})"


class Person(models.Model):
    code = models.CharField(_("staff code"), max_length=40, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    search_text = models.CharField(max_length=300, editable=False, db_index=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["full_name", "code"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name


class Employment(models.Model):
    """A person's membership of a unit, with position, over a period (inclusive dates)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="employments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employments")
    position = models.CharField(_("position"), max_length=120, blank=True)
    is_head = models.BooleanField(_("head of unit"), default=False)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["person", "valid_from"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        indexes = [models.Index(fields=["unit", "valid_from", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="employment_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.unit}"


class Rating(models.TextChoices):
    """Annual performance ratings, best first. `rank` orders them (higher is better)."""

    EXCELLENT = "HTXSNV", _("Excellently completed duties (HTXSNV)")
    GOOD = "HTTNV", _("Well completed duties (HTTNV)")
    COMPLETED = "HTNV", _("Completed duties (HTNV)")
    NOT_COMPLETED = "KHTNV", _("Did not complete duties (KHTNV)")


RATING_RANK: dict[str, int] = {
    Rating.EXCELLENT: 4,
    Rating.GOOD: 3,
    Rating.COMPLETED: 2,
    Rating.NOT_COMPLETED: 1,
}


class StaffRating(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=8, choices=Rating.choices)
    rating_rank = models.PositiveSmallIntegerField(editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "person"]
        verbose_name = _("staff rating")
        verbose_name_plural = _("staff ratings")
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="one_staff_rating_a_year")
        ]
        indexes = [models.Index(fields=["year", "person"])]

    def __str__(self) -> str:
        return f"{self.person} {self.year}: {self.rating}"


class UnitRating(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=8, choices=Rating.choices)
    rating_rank = models.PositiveSmallIntegerField(editable=False)

    class Meta:
        ordering = ["-year", "unit"]
        verbose_name = _("unit rating")
        verbose_name_plural = _("unit ratings")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_unit_rating_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.rating}"


class DisciplineLevel(models.TextChoices):
    """Disciplinary measures for civil servants and public employees, lightest first."""

    REPRIMAND = "khien_trach", _("Reprimand (khiển trách)")
    WARNING = "canh_cao", _("Warning (cảnh cáo)")
    SALARY_DOWNGRADE = "ha_bac_luong", _("Salary downgrade (hạ bậc lương)")
    DEMOTION = "giang_chuc", _("Demotion (giáng chức)")
    DISMISSAL_FROM_POST = "cach_chuc", _("Removal from post (cách chức)")
    DISCHARGE = "buoc_thoi_viec", _("Forced discharge (buộc thôi việc)")


DISCIPLINE_SEVERITY: dict[str, int] = {
    level: index for index, level in enumerate(DisciplineLevel.values, start=1)
}


class DisciplineRecord(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="discipline")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="discipline"
    )
    level = models.CharField(_("measure"), max_length=20, choices=DisciplineLevel.choices)
    severity = models.PositiveSmallIntegerField(editable=False)
    decided_on = models.DateField(_("decided on"))
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-decided_on"]
        verbose_name = _("discipline record")
        verbose_name_plural = _("discipline records")
        indexes = [models.Index(fields=["unit", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_level_display()} ({self.decided_on:%d/%m/%Y})"


class Block(models.Model):
    """A competition block (khối / cụm thi đua) organised by an agency."""

    class Kind(models.TextChoices):
        KHOI = "khoi", _("Block (khối)")
        CUM = "cum", _("Cluster (cụm)")

    agency = models.ForeignKey(
        Unit, verbose_name=_("organising agency"), on_delete=models.PROTECT, related_name="blocks"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.KHOI)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["agency", "code"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="block_code_per_agency")
        ]

    def __str__(self) -> str:
        return self.name


class BlockTerm(models.Model):
    """A block's year: its members, leader and deputy, and the decision that named them."""

    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="terms")
    year = models.PositiveSmallIntegerField(_("year"))
    leader = models.ForeignKey(
        Unit, verbose_name=_("leader unit"), on_delete=models.PROTECT, related_name="+"
    )
    deputy = models.ForeignKey(
        Unit,
        verbose_name=_("deputy unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_signer = models.CharField(_("decision signer"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "block"]
        verbose_name = _("block term")
        verbose_name_plural = _("block terms")
        constraints = [
            models.UniqueConstraint(fields=["block", "year"], name="one_term_per_block_year")
        ]

    def __str__(self) -> str:
        return f"{self.block} {self.year}"


class BlockMembership(models.Model):
    # agency and year repeat the term's so the database itself refuses a unit in two
    # blocks of one agency in one year, whatever path the write takes.
    term = models.ForeignKey(BlockTerm, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="block_memberships")
    agency = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["term", "unit__path"]
        verbose_name = _("block member")
        verbose_name_plural = _("block members")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "unit"], name="one_block_per_agency_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} in {self.term}"


class Council(models.Model):
    """An agency's emulation and commendation council (Hội đồng Thi đua – Khen thưởng)."""

    agency = models.OneToOneField(
        Unit, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="council"
    )
    name = models.CharField(_("name"), max_length=255)
    standing_body = models.ForeignKey(
        Unit,
        verbose_name=_("standing body (secretariat)"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self) -> str:
        return self.name


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    STANDING = "standing", _("Standing member")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class CouncilSeatQuerySet(models.QuerySet["CouncilMember"]):
    def sitting_on(self, day: dt.date) -> CouncilSeatQuerySet:
        """Seats held on `day`: begun by then and not yet ended."""
        return self.filter(valid_on(day))


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="council_seats")
    role = models.CharField(_("role"), max_length=20, choices=CouncilRole.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)

    objects = CouncilSeatQuerySet.as_manager()

    class Meta:
        ordering = ["council", "valid_from", "role"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    SECRETARIAT = "secretariat", _("Emulation officer (secretariat)")
    COUNCIL_MEMBER = "council_member", _("Council member")
    UNIT_HEAD = "unit_head", _("Unit head")
    STAFF = "staff", _("Unit staff")


class RoleAssignment(models.Model):
    """A role held by a user over a unit (and optionally its subtree) for a period.

    Block leader and deputy rights are not roles: they follow from the block term and the
    user's unit-head assignment.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("scope unit"), on_delete=models.PROTECT, related_name="+"
    )
    include_descendants = models.BooleanField(_("includes sub-units"), default=False)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} @ {self.unit}"

    def active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class ImportStage(models.TextChoices):
    PREVIEW = "preview", _("Checking the file")
    AWAITING = "awaiting", _("Awaiting confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One uploaded workbook on its way through preview and import, run by the job worker.

    The plan and result are plain JSON (counts per sheet, errors by sheet/row/column), so a
    page can show them long after the task ran, in another process.
    """

    RUNNING = (ImportStage.PREVIEW, ImportStage.IMPORTING)
    # A worker that dies mid-task (killed, out of memory) never records the end of its job. A
    # running job with no news for this long is reported failed instead of "in progress" for
    # ever; a province-size import takes a few minutes, and its transaction died with it.
    STALLED_AFTER = dt.timedelta(hours=1)

    # Random, so a job's address cannot be guessed from another's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        Unit, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="import_jobs"
    )
    confirmed_by = models.ForeignKey(
        User,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sha256 = models.CharField(_("file fingerprint (SHA-256)"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=255)
    # The uploader's language: messages are written by the worker, outside any request.
    language = models.CharField(_("language"), max_length=10)
    stage = models.CharField(
        _("stage"), max_length=20, choices=ImportStage.choices, default=ImportStage.PREVIEW
    )
    progress = models.CharField(_("progress"), max_length=255, blank=True)
    message = models.TextField(_("message"), blank=True)
    # The stage a job was at when its worker stopped under it (killed, restarted): the page
    # offers to run that stage again. Empty for jobs that failed on their own.
    interrupted_stage = models.CharField(
        _("interrupted at"), max_length=20, choices=ImportStage.choices, blank=True
    )
    plan = models.JSONField(_("preview"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="org_importjob_user_recent")]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.file_name} → {self.agency} ({self.get_stage_display()})"

    @property
    def is_running(self) -> bool:
        return self.stage in self.RUNNING

    @property
    def can_run_again(self) -> bool:
        return self.stage == ImportStage.FAILED and self.interrupted_stage in self.RUNNING

    @property
    def is_stalled(self) -> bool:
        return self.is_running and self.updated_at < timezone.now() - self.STALLED_AFTER

    @property
    def hidden_error_count(self) -> int:
        plan = self.plan or {}
        return int(plan.get("error_count", 0)) - len(plan.get("errors", ()))
