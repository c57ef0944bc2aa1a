"""The block dossier's page: the block's dossiers for a campaign and building a new one
(covenants.dossier, run as a documents batch)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from thidua.campaigns.issuing import valid_token
from thidua.campaigns.models import Campaign
from thidua.documents import batches
from thidua.documents.models import DocumentBatch
from thidua.org.models import Block

from .permissions import may_see_dossier


@login_required
def block_dossier_start(request: HttpRequest, pk: int, block_pk: int) -> HttpResponse:
    """A block's dossiers for the campaign (GET), and building a new one (POST; a double
    click builds one). For the secretariat and the block's leader and deputy."""
    campaign = get_object_or_404(Campaign.objects.select_related("agency"), pk=pk)
    block = get_object_or_404(Block, pk=block_pk, agency=campaign.agency)
    if not may_see_dossier(request.user, campaign, block):
        raise PermissionDenied
    if request.method != "POST":
        dossiers = DocumentBatch.objects.filter(
            kind=DocumentBatch.Kind.DOSSIER, campaign=campaign, block=block
        )
        batches.fail_stalled(list(dossiers))
        context = {
            "campaign": campaign,
            # Not "block": inside a {% block %} that name is the template block itself.
            "competition_block": block,
            "dossiers": dossiers,
            "key": secrets.token_urlsafe(16),
        }
        return render(request, "covenants/block_dossier.html", context)
    token = request.POST.get("key", "")
    if not valid_token(token):
        messages.error(request, _("The request key is missing or malformed; reload the page."))
        return redirect("block_dossier_start", pk=pk, block_pk=block_pk)
    batch = batches.batch_start(
        actor=request.user,
        kind=DocumentBatch.Kind.DOSSIER,
        title=_("Dossier of %(block)s, %(year)s") % {"block": block, "year": campaign.year},
        items=[],
        issuer=None,
        campaign=campaign,
        block=block,
        idempotency_key=f"dossier:{campaign.pk}:{block.pk}:{token}",
    )
    return redirect("document_batch", pk=batch.pk)
