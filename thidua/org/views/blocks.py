"""Blocks, their yearly terms, and councils."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.lib.dates import today
from thidua.org import forms, selectors
from thidua.org.models import Block, BlockTerm, Council, CouncilMember, Person, Unit
from thidua.org.permissions import Action, can, require
from thidua.org.selectors import agencies
from thidua.org.services import blocks as block_services
from thidua.org.services import councils as council_services
from thidua.pages.views import form_page


@login_required
def block_list(request: HttpRequest) -> HttpResponse:
    blocks = list(selectors.block_list())
    years = sorted({t.year for b in blocks for t in b.terms.all()}, reverse=True)
    may_create = any(can(request.user, Action.BLOCK_MANAGE, a) for a in agencies())
    return render(
        request, "org/block_list.html", {"blocks": blocks, "years": years, "may_create": may_create}
    )


@login_required
def block_create(request: HttpRequest) -> HttpResponse:
    form = forms.BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        require(request.user, Action.BLOCK_MANAGE, form.cleaned_data["agency"])
    return form_page(
        request,
        form,
        title=_("New block"),
        save=lambda d: block_services.block_create(actor=request.user, **d),
        success=lambda block: reverse("block_term_create", args=[block.pk]),
        success_message=_("The block was created. Now give it its members for a year."),
        cancel_url=reverse("block_list"),
    )


@login_required
def block_term_detail(request: HttpRequest, pk: int) -> HttpResponse:
    term = selectors.block_term_detail(get_object_or_404(BlockTerm, pk=pk).pk)
    context = {
        "term": term,
        "may_edit": can(request.user, Action.BLOCK_MANAGE, term.block.agency),
        "cycle": getattr(term, "cycle", None),
    }
    return render(request, "org/block_term_detail.html", context)


def _term_form_page(request: HttpRequest, block: Block, term: BlockTerm | None) -> HttpResponse:
    require(request.user, Action.BLOCK_MANAGE, block.agency)
    initial: dict = {"year": today().year}
    if term is not None:
        initial = {
            "year": term.year,
            "leader": term.leader_id,
            "deputy": term.deputy_id,
            "members": [m.unit_id for m in term.memberships.all()],
            "decision_number": term.decision_number,
            "decision_date": term.decision_date,
            "decision_signer": term.decision_signer,
        }
    form = forms.BlockTermForm(request.POST or None, initial=initial, agency=block.agency)
    if term is not None:
        form.fields["year"].disabled = True
    title = _("Members and leaders of %(block)s") % {"block": block}
    return form_page(
        request,
        form,
        title=title,
        save=lambda d: block_services.block_term_save(
            actor=request.user, block=block, term=term, **d
        ),
        success=lambda t: reverse("block_term_detail", args=[t.pk]),
        success_message=_("The block's year was saved."),
        cancel_url=reverse("block_list"),
        intro=_(
            "The leader and the deputy must be members. A unit can be in only one block "
            "of the agency each year."
        ),
    )


@login_required
def block_term_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _term_form_page(request, get_object_or_404(Block, pk=pk), None)


@login_required
def block_term_edit(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(BlockTerm.objects.select_related("block__agency"), pk=pk)
    return _term_form_page(request, term.block, term)


@login_required
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Unit, pk=pk)
    council = selectors.council_detail(agency)
    return render(
        request,
        "org/council_detail.html",
        {
            "agency": agency,
            "council": council,
            "may_edit": can(request.user, Action.COUNCIL_MANAGE, agency),
        },
    )


@login_required
def council_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Unit, pk=pk)
    require(request.user, Action.COUNCIL_MANAGE, agency)
    council = Council.objects.filter(agency=agency).first()
    initial = (
        {"name": council.name, "standing_body": council.standing_body_id}
        if council
        else {
            "name": _("Emulation and Commendation Council of %(agency)s") % {"agency": agency.name}
        }
    )
    form = forms.CouncilForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title=_("Council"),
        save=lambda d: council_services.council_save(actor=request.user, agency=agency, **d),
        success=lambda c: reverse("council_detail", args=[agency.pk]),
        success_message=_("Saved."),
        cancel_url=reverse("council_detail", args=[agency.pk]),
    )


@login_required
def council_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Unit, pk=pk)
    require(request.user, Action.COUNCIL_MANAGE, agency)
    council = get_object_or_404(Council, agency=agency)
    form = forms.CouncilMemberForm(request.POST or None, initial={"valid_from": today()})

    def save(data: dict) -> CouncilMember:
        person = Person.objects.filter(code=data.pop("person_code").strip()).first()
        if person is None:
            raise ValidationError({"person_code": _("No person has this staff code.")})
        return council_services.council_member_add(
            actor=request.user, council=council, person=person, **data
        )

    return form_page(
        request,
        form,
        title=_("Add a council member"),
        save=save,
        success=lambda seat: reverse("council_detail", args=[agency.pk]),
        success_message=_("Saved."),
        cancel_url=reverse("council_detail", args=[agency.pk]),
    )
