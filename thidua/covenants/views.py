"""Covenant pages: thin wrappers around the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.campaigns.models import BlockCycle, Campaign
from thidua.documents.pdf import pdf_available
from thidua.lib.filetypes import DOCX_CONTENT_TYPE
from thidua.org.permissions import is_block_leader
from thidua.pages.forms import apply_service_errors
from thidua.pages.views import form_page, post_action
from thidua.signatures.services import read_signed_pdf

from . import files, forms, permissions, selectors, services
from .models import Covenant


def _covenant(pk: int) -> Covenant:
    return get_object_or_404(selectors.covenant_queryset(), pk=pk)


def _detail_url(covenant: Covenant) -> str:
    return reverse("covenant_detail", args=[covenant.pk])


@login_required
def covenant_for_cycle(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """The block card's link: the covenant if there is one, else the leader may start it."""
    cycle = get_object_or_404(
        BlockCycle.objects.select_related("term__block__agency", "campaign"), pk=cycle_pk
    )
    if not permissions.may_see_block(request.user, cycle):
        raise PermissionDenied
    covenant = selectors.current_covenant(cycle)
    if covenant is not None:
        return redirect(_detail_url(covenant))
    may_start = is_block_leader(request.user, cycle.term)
    if request.method == "POST" and may_start:
        covenant = services.covenant_start(actor=request.user, cycle=cycle)
        return redirect("covenant_edit", pk=covenant.pk)
    return render(request, "covenants/start.html", {"cycle": cycle, "may_start": may_start})


@login_required
def covenant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    covenant = _covenant(pk)
    viewer = selectors.viewer_of(request.user, covenant)
    if not viewer.may_view:
        raise PermissionDenied
    context = {
        "covenant": covenant,
        "viewer": viewer,
        "members": selectors.member_rows(covenant),
        "actions": selectors.covenant_actions(request.user, covenant, viewer=viewer),
        "frozen": files.current_revision(covenant),
    }
    return render(request, "covenants/detail.html", context)


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def covenant_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The frozen text of the current revision, as DOCX or PDF, for everyone who may see
    the covenant. The PDF is the one a token signature must be made on."""
    if kind not in ("pdf", "docx"):
        raise Http404
    covenant = _covenant(pk)
    if not selectors.viewer_of(request.user, covenant).may_view:
        raise PermissionDenied
    try:
        if kind == "pdf":
            row, data = files.revision_pdf(covenant)
            content_type = "application/pdf"
        else:
            row, data = files.revision_docx(covenant)
            content_type = DOCX_CONTENT_TYPE
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_detail_url(covenant))
    name = f"giao-uoc-v{covenant.version}-r{row.revision}.{kind}"
    return _download(data, name, content_type)


@login_required
def covenant_signed_file(request: HttpRequest, pk: int, signature_pk: int) -> HttpResponse:
    """A token-signed PDF kept with a signature, for those who may see the covenant."""
    covenant = _covenant(pk)
    if not selectors.viewer_of(request.user, covenant).may_view:
        raise PermissionDenied
    signature = get_object_or_404(
        covenant.signatures.select_related("signed_pdf", "unit"), pk=signature_pk
    )
    if signature.signed_pdf is None:
        raise Http404
    name = f"giao-uoc-v{covenant.version}-r{signature.revision}-{signature.unit.code}.pdf"
    return _download(read_signed_pdf(signature.signed_pdf), name, "application/pdf")


@login_required
def covenant_sign_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the frozen PDF signed with a USB token; the result is checked at once."""
    covenant = _covenant(pk)
    units = selectors.viewer_of(request.user, covenant).sign_units
    if not units:
        raise PermissionDenied
    form = forms.TokenSignForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.covenant_sign_token(
                actor=request.user,
                covenant=covenant,
                unit=form.cleaned_data["unit"],
                data=upload.read(),
                file_name=upload.name or "",
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your unit's token signature was validated and recorded."))
            return redirect(_detail_url(covenant))
    available, why = pdf_available()
    context = {
        "covenant": covenant,
        "form": form,
        "frozen": files.current_revision(covenant),
        "pdf_available": available,
        "pdf_unavailable_reason": why,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "covenants/sign_token.html", context, status=status)


@login_required
def covenant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    covenant = _covenant(pk)
    if not is_block_leader(request.user, covenant.term):
        raise PermissionDenied
    form = forms.CovenantEditForm(request.POST or None, covenant=covenant)

    def save(data: dict) -> Covenant:
        return services.covenant_update(
            actor=request.user,
            covenant=covenant,
            commitments=data["commitments"],
            targets=form.targets(),
        )

    return form_page(
        request,
        form,
        title=_("Edit the covenant"),
        intro=str(covenant),
        save=save,
        success=_detail_url,
        success_message=_("The covenant was saved."),
        cancel_url=_detail_url(covenant),
    )


@login_required
def covenant_sign(request: HttpRequest, pk: int) -> HttpResponse:
    covenant = _covenant(pk)
    units = selectors.viewer_of(request.user, covenant).sign_units
    if not units:
        raise PermissionDenied
    form = forms.SignForm(request.POST or None, units=units)
    return form_page(
        request,
        form,
        title=_("Sign the covenant"),
        intro=_("Signing confirms that your unit agrees to revision %(rev)s of “%(title)s”.")
        % {"rev": covenant.revision, "title": covenant.title},
        save=lambda data: services.covenant_sign(
            actor=request.user,
            covenant=covenant,
            unit=data["unit"],
            password=data["password"],
            ip_address=request.META.get("REMOTE_ADDR"),
        ),
        success=lambda _signature: _detail_url(covenant),
        success_message=_("Your unit's signature was recorded."),
        cancel_url=_detail_url(covenant),
        extra={"submit_label": _("Sign")},
    )


@login_required
def covenant_member_return(request: HttpRequest, pk: int) -> HttpResponse:
    covenant = _covenant(pk)
    units = selectors.viewer_of(request.user, covenant).sign_units
    if not units:
        raise PermissionDenied
    form = forms.MemberReturnForm(request.POST or None, units=units)
    return form_page(
        request,
        form,
        title=_("Return the covenant to the block leader"),
        save=lambda data: services.covenant_return(
            actor=request.user, covenant=covenant, unit=data["unit"], reason=data["reason"]
        ),
        success=_detail_url,
        success_message=_("The covenant was returned to the block leader."),
        cancel_url=_detail_url(covenant),
        extra={"submit_label": _("Return")},
    )


@login_required
def covenant_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    covenant = _covenant(pk)
    if not selectors.viewer_of(request.user, covenant).is_secretariat:
        raise PermissionDenied
    form = forms.ReasonForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Return the covenant to the block"),
        save=lambda data: services.covenant_send_back(
            actor=request.user, covenant=covenant, reason=data["reason"]
        ),
        success=_detail_url,
        success_message=_("The covenant was returned to the block leader."),
        cancel_url=_detail_url(covenant),
        extra={"submit_label": _("Return")},
    )


def _button(request: HttpRequest, pk: int, service: str, message: str) -> HttpResponse:
    covenant = _covenant(pk)
    call = getattr(services, service)
    result: list[Covenant] = []
    response = post_action(
        request,
        lambda: result.append(call(actor=request.user, covenant=covenant)),
        success_message=message,
        done_url=_detail_url(covenant),
    )
    # A correction lives at its own address.
    if result and result[0].pk != covenant.pk:
        return redirect(_detail_url(result[0]))
    return response


@login_required
@require_POST
def covenant_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(request, pk, "covenant_circulate", _("The covenant was sent for signature."))


@login_required
@require_POST
def covenant_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(request, pk, "covenant_submit", _("The covenant was sent to the secretariat."))


@login_required
@require_POST
def covenant_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(request, pk, "covenant_accept", _("The covenant was accepted."))


@login_required
@require_POST
def covenant_correct(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(request, pk, "covenant_correct", _("A correction of the covenant was opened."))


@login_required
def covenant_board(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("agency"), pk=campaign_pk)
    rows = selectors.covenant_board(request.user, campaign)
    if not rows:
        raise PermissionDenied
    return render(request, "covenants/board.html", {"campaign": campaign, "rows": rows})
