"""The campaign plan: its criteria tree, milestones, block cycles and measurable results."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.campaigns import forms, selectors, services
from thidua.campaigns.cycle import STATE_LABELS
from thidua.campaigns.models import BlockCycle, Campaign, ContentGroup, Criterion, Milestone
from thidua.documents.pdf import pdf_available
from thidua.lib.dates import today
from thidua.org.models import BlockTerm
from thidua.org.permissions import Action, can, require
from thidua.pages.views import form_page, post_action


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaigns_visible(request.user).order_by("-year", "agency__name")
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_detail(selectors.campaign_visible_or_404(request.user, pk).pk)
    context = {
        "campaign": campaign,
        "timeline": selectors.campaign_timeline(campaign),
        "matrix": selectors.evaluation_matrix(campaign),
        "block_years": selectors.campaign_block_years(campaign),
        "may_edit": can(request.user, Action.CAMPAIGN_MANAGE, campaign.agency),
        "state_labels": STATE_LABELS,
    }
    if can(request.user, Action.DOCUMENT_ISSUE, campaign.agency):
        context["issuing"] = {
            "documents": selectors.campaign_documents(campaign),
            "key": secrets.token_urlsafe(16),
            "pdf": pdf_available(),
            "plan_numbered": bool(campaign.plan_number),
        }
    return render(request, "campaigns/campaign_detail.html", context)


def _campaign_initial(campaign: Campaign) -> dict:
    initial = {name: getattr(campaign, name) for name in services.CAMPAIGN_FIELDS}
    initial.update(agency=campaign.agency_id, year=campaign.year)
    initial["legal_bases"] = "\n".join(b.text for b in campaign.legal_bases.all())
    return initial


@login_required
def campaign_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk) if pk else None
    initial = _campaign_initial(campaign) if campaign else {"year": today().year}
    form = forms.CampaignForm(request.POST or None, initial=initial)
    if campaign is not None:
        require(request.user, Action.CAMPAIGN_MANAGE, campaign.agency)
        form.fields["agency"].disabled = form.fields["year"].disabled = True
    elif request.method == "POST" and form.is_valid():
        require(request.user, Action.CAMPAIGN_MANAGE, form.cleaned_data["agency"])

    def save(data: dict) -> Campaign:
        bases = data.pop("legal_bases").splitlines()
        return services.campaign_save(
            actor=request.user, campaign=campaign, legal_bases=bases, **data
        )

    return form_page(
        request,
        form,
        title=_("Campaign plan") if campaign else _("New campaign"),
        save=save,
        success=lambda c: reverse("campaign_detail", args=[c.pk]),
        success_message=_("The plan was saved."),
        cancel_url=reverse("campaign_detail", args=[pk]) if pk else reverse("campaign_list"),
    )


@login_required
def group_edit(request: HttpRequest, pk: int, group_pk: int | None = None) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    require(request.user, Action.CAMPAIGN_MANAGE, campaign.agency)
    group = get_object_or_404(ContentGroup, pk=group_pk, campaign=campaign) if group_pk else None
    initial = (
        {
            "code": group.code,
            "order": group.order,
            "title": group.title,
            "description": group.description,
        }
        if group
        else {"order": campaign.groups.count() + 1}
    )
    form = forms.ContentGroupForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title=_("Content group"),
        save=lambda d: services.content_group_save(
            actor=request.user, campaign=campaign, group=group, **d
        ),
        success=lambda g: reverse("campaign_detail", args=[campaign.pk]) + f"#group-{g.pk}",
        success_message=_("Saved."),
        cancel_url=reverse("campaign_detail", args=[campaign.pk]),
    )


CRITERION_FIELDS = (
    "code",
    "order",
    "text",
    "kind",
    "indicator",
    "comparator",
    "threshold",
    "min_rating",
    "min_discipline",
    "unit_of_measure",
    "staff_counted_on",
    "legal_basis",
)


@login_required
def criterion_edit(request: HttpRequest, group_pk: int, pk: int | None = None) -> HttpResponse:
    group = get_object_or_404(ContentGroup.objects.select_related("campaign__agency"), pk=group_pk)
    require(request.user, Action.CAMPAIGN_MANAGE, group.campaign.agency)
    criterion = get_object_or_404(Criterion, pk=pk, group=group) if pk else None
    initial = (
        {name: getattr(criterion, name) for name in CRITERION_FIELDS}
        if criterion
        else {
            "order": group.criteria.count() + 1,
            "code": f"{group.code}.{group.criteria.count() + 1}",
        }
    )
    form = forms.CriterionForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title=_("Criterion of group %(code)s") % {"code": group.code},
        save=lambda d: services.criterion_save(
            actor=request.user, group=group, criterion=criterion, **d
        ),
        success=lambda c: (
            reverse("campaign_detail", args=[group.campaign_id]) + f"#group-{group.pk}"
        ),
        success_message=_("Saved."),
        cancel_url=reverse("campaign_detail", args=[group.campaign_id]),
    )


MILESTONE_FIELDS = ("kind", "title", "owner", "starts_on", "due_on", "deliverable", "recipient")


@login_required
def milestone_edit(request: HttpRequest, pk: int, milestone_pk: int | None = None) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    require(request.user, Action.CAMPAIGN_MANAGE, campaign.agency)
    milestone = (
        get_object_or_404(Milestone, pk=milestone_pk, campaign=campaign) if milestone_pk else None
    )
    initial = {n: getattr(milestone, n) for n in MILESTONE_FIELDS} if milestone else {}
    form = forms.MilestoneForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title=_("Milestone"),
        save=lambda d: services.milestone_save(
            actor=request.user, campaign=campaign, milestone=milestone, **d
        ),
        success=lambda m: reverse("campaign_detail", args=[campaign.pk]) + "#milestones",
        success_message=_("Saved."),
        cancel_url=reverse("campaign_detail", args=[campaign.pk]),
    )


@login_required
@require_POST
def cycle_advance(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(BlockCycle, pk=pk)
    form = forms.CycleAdvanceForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("dashboard")
    if not form.is_valid():
        return redirect(next_url)
    return post_action(
        request,
        lambda: services.block_cycle_advance(
            actor=request.user,
            cycle=cycle,
            target=form.cleaned_data["target"],
            note=form.cleaned_data["note"],
        ),
        success_message=_("The block moved to its next step."),
        done_url=next_url,
    )


@login_required
@require_POST
def campaign_cycles_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the year of every block with a term for the campaign's year, in one action."""
    campaign = get_object_or_404(Campaign.objects.select_related("agency"), pk=pk)
    require(request.user, Action.CAMPAIGN_MANAGE, campaign.agency)
    result = services.block_cycles_open(actor=request.user, campaign=campaign)
    if result.opened:
        messages.success(
            request,
            _("Opened the year of %(count)s blocks: %(blocks)s.")
            % {
                "count": len(result.opened),
                "blocks": ", ".join(c.term.block.name for c in result.opened),
            },
        )
    elif not result.refused:
        messages.info(request, _("Every block's year is already open."))
    for row in result.refused:
        messages.error(request, row.problem)
    return redirect(reverse("campaign_detail", args=[pk]) + "#blocks")


@login_required
@require_POST
def term_cycle_open(request: HttpRequest, pk: int) -> HttpResponse:
    """A block's term created after its campaign joins it from the term's page."""
    term = get_object_or_404(BlockTerm.objects.select_related("block__agency"), pk=pk)
    require(request.user, Action.CAMPAIGN_MANAGE, term.block.agency)
    campaign = Campaign.objects.filter(agency=term.block.agency, year=term.year).first()
    done_url = reverse("block_term_detail", args=[pk])
    if campaign is None:
        messages.error(
            request,
            _("%(agency)s has no campaign for %(year)s yet: create its plan first.")
            % {"agency": term.block.agency, "year": term.year},
        )
        return redirect(done_url)
    return post_action(
        request,
        lambda: services.block_cycle_open(actor=request.user, campaign=campaign, term=term),
        success_message=_("The block's year joined the campaign %(year)s.") % {"year": term.year},
        done_url=done_url,
    )
