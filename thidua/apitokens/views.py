from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.pages.forms import apply_service_errors

from . import selectors, services
from .forms import TokenForm
from .models import ApiToken
from .permissions import may_manage_every_token


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The person's own tokens; a new token's secret is shown on this one answer only."""
    form = TokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.api_token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            form = TokenForm()
    context = {
        "title": _("API tokens"),
        "form": form,
        "created": created,
        "secret": secret,
        "tokens": selectors.tokens_of(request.user),
        "may_manage_every_token": may_manage_every_token(request.user),
    }
    status = 400 if request.method == "POST" and created is None else 200
    response = render(request, "apitokens/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def every_token(request: HttpRequest) -> HttpResponse:
    if not may_manage_every_token(request.user):
        raise PermissionDenied(_("Only an administrator can see every API token."))
    context = {"title": _("Every API token"), "tokens": selectors.every_token()}
    return render(request, "apitokens/every_token.html", context)


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    if token.owner_id != request.user.pk:
        return redirect("apitokens:every")
    return redirect("apitokens:mine")
