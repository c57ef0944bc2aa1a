"""The block dossier: one ZIP of a block's papers for a campaign, built in the job worker.

It holds every issued document of the campaign that concerns the block (the plan, the
block-leaders decision, the block's minutes and report…), the covenant's frozen PDF, the
token-signed copies and a CSV of the signatures, with a manifest of SHA-256 hashes. It is a
kind of documents batch (DocumentBatch.Kind.DOSSIER) that covenants registers with
`documents.batches` in CovenantsConfig.ready: covenants is the lowest app that sees the
campaign, the block's term, the covenant and its signatures.

The secretariat of the agency (DOCUMENT_ISSUE) and the heads of the block's leader and
deputy units for the campaign's year may build and download it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.documents import batches
from thidua.documents.models import DocumentBatch, IssuingBody
from thidua.lib.csvfile import csv_bytes
from thidua.org.permissions import Actor
from thidua.signatures.services import read_signed_pdf

from . import files
from .models import Covenant
from .permissions import may_see_dossier


def _authorise(actor: Actor, issuer: IssuingBody | None, campaign: Any, block: Any) -> None:
    if campaign is None or block is None:
        raise ValidationError(_("A dossier needs a campaign and a block."))
    if not may_see_dossier(actor, campaign, block):
        raise PermissionDenied(_("Only the secretariat and the block's leader may do this."))


def _may_see(actor: Actor, batch: DocumentBatch) -> bool:
    if batch.campaign is None or batch.block is None:
        return False
    return may_see_dossier(actor, batch.campaign, batch.block)


def build_dossier(batch: DocumentBatch) -> None:
    if batch.campaign is None or batch.block is None:
        raise batches.BatchError(_("A dossier needs a campaign and a block."))
    notes: list[str] = []
    documents = batches.dossier_documents(batch.campaign, batch.block)
    entries = batches.document_entries(batch, documents, notes)
    entries.extend(_covenant_entries(batch, notes))
    archive = batches.zip_with_manifest(entries, notes)
    code = batches.safe_name(batch.block.code)
    batches.store_result(batch, f"{batch.pk}/ho-so-{code}-{batch.campaign.year}.zip", archive)


DOSSIER = batches.BatchKind(
    authorise=_authorise, may_see=_may_see, run=build_dossier, takes_items=False
)


def _covenant_entries(batch: DocumentBatch, notes: list[str]) -> list[batches.Entry]:
    """The covenant's frozen PDF and the token-signed copies; a note in the manifest says
    what is not in the ZIP."""
    assert batch.campaign is not None and batch.block is not None
    covenant = (
        Covenant.objects.filter(term__block=batch.block, cycle__campaign=batch.campaign)
        .order_by("-version")
        .first()
    )
    if covenant is None:
        notes.append(_("The block has no covenant for this campaign."))
        return []
    entries: list[batches.Entry] = []
    revision = covenant.revisions.exclude(pdf_path="").order_by("-revision").first()
    if revision is None:
        notes.append(_("The covenant has no frozen PDF yet, so it is not included."))
    else:
        data = _read_covenant_file(revision.pdf_path)
        if data is None:
            notes.append(_("The covenant's frozen PDF is missing on the server."))
        else:
            entries.append(
                (
                    f"giao-uoc-v{covenant.version}-r{revision.revision}.pdf",
                    _("Covenant"),
                    "",
                    timezone.localtime(revision.created_at).strftime("%d/%m/%Y"),
                    _("frozen text, revision %(revision)s") % {"revision": revision.revision},
                    data,
                )
            )
    entries.extend(_signature_entries(covenant, notes))
    return entries


def _read_covenant_file(relative: str) -> bytes | None:
    try:
        return bytes(files.read(relative))
    except (OSError, ValueError):
        return None


def _signature_entries(covenant: Any, notes: list[str]) -> list[batches.Entry]:
    entries: list[batches.Entry] = []
    rows = [["unit", "signer", "method", "revision", "signed_at"]]
    for signature in covenant.signatures.filter(invalidated_at__isnull=True).select_related(
        "unit", "signer"
    ):
        when = timezone.localtime(signature.signed_at)
        rows.append(
            [
                str(signature.unit),
                str(signature.signer),
                signature.get_method_display(),
                str(signature.revision),
                when.strftime("%d/%m/%Y %H:%M"),
            ]
        )
        signed = getattr(signature, "signed_pdf", None)
        if signed is None:
            continue
        try:
            data = read_signed_pdf(signed)
        except Exception:  # a missing file is a note, not a failed dossier
            notes.append(
                _("The token-signed PDF of %(unit)s is missing on the server.")
                % {"unit": signature.unit}
            )
            continue
        entries.append(
            (
                f"giao-uoc-ky-so-{batches.safe_name(signature.unit.code)}.pdf",
                _("Covenant signed with a USB token"),
                "",
                when.strftime("%d/%m/%Y"),
                str(signature.unit),
                data,
            )
        )
    if len(rows) > 1:
        entries.append(
            ("chu-ky-giao-uoc.csv", _("Covenant signatures"), "", "", "", csv_bytes(rows))
        )
    return entries
