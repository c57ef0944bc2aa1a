"""Every action the audit log records, one member each: `record()` takes only these.

The value is what a new row stores: `<app>.<what>.<verb>`, the app that owns the service
first. Rows written before this enumeration keep the string they were hashed with (the
log is a hash chain: rewriting them would break `verify_audit`); `LEGACY` names the
member each old string means, so pages and filters treat old and new rows alike.
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    # accounts
    ACCOUNT_LOCKED = "accounts.account.locked"
    ACCOUNT_PASSWORD_CHANGE = "accounts.account.password_change"
    ACCOUNT_PASSWORD_RESET = "accounts.account.password_reset"
    ACCOUNT_SECOND_FACTOR_ENROLLED = "accounts.account.second_factor_enrolled"
    ACCOUNT_SECOND_FACTOR_FAILED = "accounts.account.second_factor_failed"
    ACCOUNT_SECOND_FACTOR_RESET = "accounts.account.second_factor_reset"
    ACCOUNT_UNLOCKED = "accounts.account.unlocked"

    # apitokens
    API_TOKEN_CREATED = "apitokens.api_token.created"
    API_TOKEN_REVOKED = "apitokens.api_token.revoked"

    # awards
    AWARDFORM_SAVED = "awards.awardform.saved"
    AWARDFORMRATE_SAVED = "awards.awardformrate.saved"
    BASESALARY_SAVED = "awards.basesalary.saved"
    DECISION_ANNULLED = "awards.decision.annulled"
    DECISION_IMPORTED = "awards.decision.imported"
    DECISION_RECORDED = "awards.decision.recorded"

    # campaigns
    CAMPAIGN_SAVED = "campaigns.campaign.saved"
    CONTENT_GROUP_SAVED = "campaigns.content_group.saved"
    CRITERION_SAVED = "campaigns.criterion.saved"
    CYCLE_ADVANCED = "campaigns.cycle.advanced"
    CYCLE_OPENED = "campaigns.cycle.opened"
    DEADLINEBANDS_SAVED = "campaigns.deadlinebands.saved"
    MILESTONE_SAVED = "campaigns.milestone.saved"

    # covenants
    COVENANT_ACCEPTED = "covenants.covenant.accepted"
    COVENANT_CIRCULATED = "covenants.covenant.circulated"
    COVENANT_CORRECTION_STARTED = "covenants.covenant.correction_started"
    COVENANT_EDITED = "covenants.covenant.edited"
    COVENANT_RETURNED = "covenants.covenant.returned"
    COVENANT_SENT_BACK = "covenants.covenant.sent_back"
    COVENANT_SIGNED = "covenants.covenant.signed"
    COVENANT_STARTED = "covenants.covenant.started"
    COVENANT_SUBMITTED = "covenants.covenant.submitted"

    # documents
    DOCUMENT_BATCH_RESUMED = "documents.document.batch_resumed"
    DOCUMENT_BATCH_STARTED = "documents.document.batch_started"
    DOCUMENT_ISSUED = "documents.document.issued"
    DOCUMENT_ISSUER_SAVED = "documents.document.issuer_saved"
    DOCUMENT_PDF_FAILED = "documents.document.pdf_failed"
    DOCUMENT_PDF_READY = "documents.document.pdf_ready"
    DOCUMENT_PDF_REQUEUED = "documents.document.pdf_requeued"
    DOCUMENT_TEMPLATE_ACTIVATED = "documents.document.template_activated"
    DOCUMENT_TEMPLATE_RESET = "documents.document.template_reset"
    DOCUMENT_TEMPLATE_UPLOADED = "documents.document.template_uploaded"
    DOCUMENT_TYPE_SAVED = "documents.document.type_saved"
    LEGAL_BASIS_SAVED = "documents.legal_basis.saved"

    # initiatives
    INITIATIVE_EVIDENCE_ADDED = "initiatives.initiative.evidence_added"
    INITIATIVE_RECOGNISED = "initiatives.initiative.recognised"
    INITIATIVE_REGISTERED = "initiatives.initiative.registered"
    INITIATIVE_REQUESTED = "initiatives.initiative.requested"
    INITIATIVE_REVIEWED = "initiatives.initiative.reviewed"

    # org
    BLOCK_CREATED = "org.block.created"
    BLOCK_TERM_SAVED = "org.block_term.saved"
    COUNCIL_MEMBER_ADDED = "org.council.member_added"
    COUNCIL_SAVED = "org.council.saved"
    DISCIPLINE_ADDED = "org.discipline.added"
    EMPLOYMENT_ADDED = "org.employment.added"
    EMPLOYMENT_ENDED = "org.employment.ended"
    ORG_IMPORTED = "org.imported"
    PERSON_ARCHIVED = "org.person.archived"
    PERSON_CREATED = "org.person.created"
    PERSON_DELETED = "org.person.deleted"
    PERSON_UPDATED = "org.person.updated"
    RATING_STAFF_SET = "org.rating.staff_set"
    RATING_UNIT_SET = "org.rating.unit_set"
    ROLE_ASSIGNED = "org.role.assigned"
    ROLE_UPDATED = "org.role.updated"
    UNIT_ARCHIVED = "org.unit.archived"
    UNIT_CREATED = "org.unit.created"
    UNIT_DELETED = "org.unit.deleted"
    UNIT_DISSOLVED = "org.unit.dissolved"
    UNIT_MERGED = "org.unit.merged"
    UNIT_MOVED = "org.unit.moved"
    UNIT_RENAMED = "org.unit.renamed"

    # proposals
    COUNCIL_AGENDA_ADDED = "proposals.council.agenda_added"
    DOSSIER_ACCEPTED = "proposals.dossier.accepted"
    DOSSIER_FILE_ADDED = "proposals.dossier.file_added"
    DOSSIER_PREPARED = "proposals.dossier.prepared"
    DOSSIER_RETURNED = "proposals.dossier.returned"
    DOSSIER_SUBMITTED = "proposals.dossier.submitted"
    REQUIREMENT_SAVED = "proposals.requirement.saved"
    UPWARD_ACKNOWLEDGED = "proposals.upward.acknowledged"
    UPWARD_APPROVED = "proposals.upward.approved"
    UPWARD_DRAFTED = "proposals.upward.drafted"
    UPWARD_ISSUED = "proposals.upward.issued"
    UPWARD_REJECTED = "proposals.upward.rejected"
    UPWARD_RETURNED = "proposals.upward.returned"
    UPWARD_SENT = "proposals.upward.sent"

    # reports
    REPORT_ACCEPTED = "reports.report.accepted"
    REPORT_COLLECTION_CLOSED = "reports.report.collection_closed"
    REPORT_DRAFT_SAVED = "reports.report.draft_saved"
    REPORT_EVIDENCE_ADDED = "reports.report.evidence_added"
    REPORT_EVIDENCE_REMOVED = "reports.report.evidence_removed"
    REPORT_EXPORT_REQUESTED = "reports.report.export_requested"
    REPORT_RETURNED = "reports.report.returned"
    REPORT_STARTED = "reports.report.started"
    REPORT_SUBMITTED = "reports.report.submitted"

    # scoring
    OUTLIERTHRESHOLD_SAVED = "scoring.outlierthreshold.saved"
    SCORING_ANSWERED = "scoring.answered"
    ASSIGNMENTS_SET = "scoring.assignments.set"
    BAND_DELETED = "scoring.band.deleted"
    BAND_SAVED = "scoring.band.saved"
    SCORING_CORRECTED = "scoring.corrected"
    ITEM_ADDED = "scoring.item.added"
    ITEM_DELETED = "scoring.item.deleted"
    ITEM_EDITED = "scoring.item.edited"
    ITEM_MOVED = "scoring.item.moved"
    SCORING_PEER_SCORED = "scoring.peer_scored"
    RANKING_PUBLISHED = "scoring.ranking.published"
    SCORING_REVIEWED = "scoring.reviewed"
    ROUND_CONFIGURED = "scoring.round.configured"
    ROUND_LOCKED = "scoring.round.locked"
    ROUND_OPENED = "scoring.round.opened"
    SCORING_SELF_SCORED = "scoring.self_scored"
    SHEET_UPLOADED = "scoring.sheet.uploaded"
    TABLE_COPIED = "scoring.table.copied"
    TABLE_CREATED = "scoring.table.created"
    TABLE_EDITED = "scoring.table.edited"
    TABLE_FROZEN = "scoring.table.frozen"
    TABLE_NEW_VERSION = "scoring.table.new_version"
    VERIFICATION_PUBLISHED = "scoring.verification.published"
    SCORING_VERIFIED = "scoring.verified"

    # signatures
    SIGNATURES_DOCUMENT_SIGNED_COPY = "signatures.document_signed_copy"

    # titles
    TITLES_CONDITION_SAVED = "titles.condition.saved"
    TITLES_OVERRIDE_RECORDED = "titles.override.recorded"
    TITLES_PACKVERSION_SAVED = "titles.packversion.saved"
    TITLES_RULEPACK_SAVED = "titles.rulepack.saved"
    TITLES_TITLEENTRY_SAVED = "titles.titleentry.saved"

    # voting
    AGENDA_ADDED = "voting.agenda.added"
    ATTENDANCE_RECORDED = "voting.attendance.recorded"
    MEETING_CLOSED = "voting.meeting.closed"
    MEETING_CREATED = "voting.meeting.created"
    PAPER_TALLY_ENTERED = "voting.paper_tally.entered"
    TALLY_DECIDED = "voting.tally.decided"
    VOTE_CHAIN_BROKEN = "voting.vote.chain_broken"
    VOTE_CLOSED = "voting.vote.closed"
    VOTE_OPENED = "voting.vote.opened"

    # years
    LEADERRULE_SAVED = "years.leaderrule.saved"
    YEAR_STARTED = "years.year.started"


# The strings rows stored before the enumeration, for the actions whose value changed.
LEGACY: dict[str, AuditAction] = {
    "account.locked": AuditAction.ACCOUNT_LOCKED,
    "account.password_change": AuditAction.ACCOUNT_PASSWORD_CHANGE,
    "account.password_reset": AuditAction.ACCOUNT_PASSWORD_RESET,
    "account.second_factor_enrolled": AuditAction.ACCOUNT_SECOND_FACTOR_ENROLLED,
    "account.second_factor_failed": AuditAction.ACCOUNT_SECOND_FACTOR_FAILED,
    "account.second_factor_reset": AuditAction.ACCOUNT_SECOND_FACTOR_RESET,
    "account.unlocked": AuditAction.ACCOUNT_UNLOCKED,
    "award_decision.annulled": AuditAction.DECISION_ANNULLED,
    "award_decision.imported": AuditAction.DECISION_IMPORTED,
    "award_decision.recorded": AuditAction.DECISION_RECORDED,
    "block.created": AuditAction.BLOCK_CREATED,
    "block_term.saved": AuditAction.BLOCK_TERM_SAVED,
    "campaign.saved": AuditAction.CAMPAIGN_SAVED,
    "content_group.saved": AuditAction.CONTENT_GROUP_SAVED,
    "council.member_added": AuditAction.COUNCIL_MEMBER_ADDED,
    "council.saved": AuditAction.COUNCIL_SAVED,
    "covenant.accepted": AuditAction.COVENANT_ACCEPTED,
    "covenant.circulated": AuditAction.COVENANT_CIRCULATED,
    "covenant.correction_started": AuditAction.COVENANT_CORRECTION_STARTED,
    "covenant.edited": AuditAction.COVENANT_EDITED,
    "covenant.returned": AuditAction.COVENANT_RETURNED,
    "covenant.sent_back": AuditAction.COVENANT_SENT_BACK,
    "covenant.signed": AuditAction.COVENANT_SIGNED,
    "covenant.started": AuditAction.COVENANT_STARTED,
    "covenant.submitted": AuditAction.COVENANT_SUBMITTED,
    "criterion.saved": AuditAction.CRITERION_SAVED,
    "cycle.advanced": AuditAction.CYCLE_ADVANCED,
    "cycle.opened": AuditAction.CYCLE_OPENED,
    "discipline.added": AuditAction.DISCIPLINE_ADDED,
    "document.batch_resumed": AuditAction.DOCUMENT_BATCH_RESUMED,
    "document.batch_started": AuditAction.DOCUMENT_BATCH_STARTED,
    "document.issued": AuditAction.DOCUMENT_ISSUED,
    "document.issuer_saved": AuditAction.DOCUMENT_ISSUER_SAVED,
    "document.pdf_failed": AuditAction.DOCUMENT_PDF_FAILED,
    "document.pdf_ready": AuditAction.DOCUMENT_PDF_READY,
    "document.pdf_requeued": AuditAction.DOCUMENT_PDF_REQUEUED,
    "document.template_activated": AuditAction.DOCUMENT_TEMPLATE_ACTIVATED,
    "document.template_reset": AuditAction.DOCUMENT_TEMPLATE_RESET,
    "document.template_uploaded": AuditAction.DOCUMENT_TEMPLATE_UPLOADED,
    "document.type_saved": AuditAction.DOCUMENT_TYPE_SAVED,
    "documents.legal_basis_saved": AuditAction.LEGAL_BASIS_SAVED,
    "employment.added": AuditAction.EMPLOYMENT_ADDED,
    "employment.ended": AuditAction.EMPLOYMENT_ENDED,
    "milestone.saved": AuditAction.MILESTONE_SAVED,
    "person.archived": AuditAction.PERSON_ARCHIVED,
    "person.created": AuditAction.PERSON_CREATED,
    "person.deleted": AuditAction.PERSON_DELETED,
    "person.updated": AuditAction.PERSON_UPDATED,
    "rating.staff_set": AuditAction.RATING_STAFF_SET,
    "rating.unit_set": AuditAction.RATING_UNIT_SET,
    "report.accepted": AuditAction.REPORT_ACCEPTED,
    "report.collection_closed": AuditAction.REPORT_COLLECTION_CLOSED,
    "report.draft_saved": AuditAction.REPORT_DRAFT_SAVED,
    "report.evidence_added": AuditAction.REPORT_EVIDENCE_ADDED,
    "report.evidence_removed": AuditAction.REPORT_EVIDENCE_REMOVED,
    "report.export_requested": AuditAction.REPORT_EXPORT_REQUESTED,
    "report.returned": AuditAction.REPORT_RETURNED,
    "report.started": AuditAction.REPORT_STARTED,
    "report.submitted": AuditAction.REPORT_SUBMITTED,
    "role.assigned": AuditAction.ROLE_ASSIGNED,
    "role.updated": AuditAction.ROLE_UPDATED,
    "unit.archived": AuditAction.UNIT_ARCHIVED,
    "unit.created": AuditAction.UNIT_CREATED,
    "unit.deleted": AuditAction.UNIT_DELETED,
    "unit.dissolved": AuditAction.UNIT_DISSOLVED,
    "unit.merged": AuditAction.UNIT_MERGED,
    "unit.moved": AuditAction.UNIT_MOVED,
    "unit.renamed": AuditAction.UNIT_RENAMED,
}


def action_of(stored: str) -> AuditAction | None:
    """The member a stored row's action means, old spelling or new; None for a string no
    service ever wrote."""
    if stored in LEGACY:
        return LEGACY[stored]
    try:
        return AuditAction(stored)
    except ValueError:
        return None


def stored_names(action: AuditAction) -> list[str]:
    """Every string a row recording `action` may hold: the value, then older spellings."""
    return [action.value, *sorted(old for old, member in LEGACY.items() if member is action)]
