"""Score pages: the unit's self-score form, scoring other units, the leader's verification
matrix and form, publishing the verification, the unit's answers and the second review, the
lock, publishing, and the published ranking with every number's inputs."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.org.models import Unit
from thidua.org.permissions import Action, can, headed_unit_ids
from thidua.pages.views import post_action
from thidua.reports.models import Period

from .. import permissions, report_document
from ..forms import AnswerWindowForm, RoundForm
from ..models import (
    FinalMethod,
    PeerScore,
    RankingSnapshot,
    Scorers,
    ScoringItem,
    ScoringRound,
    ScoringTable,
)
from ..selectors import pages
from ..selectors import tables as table_selectors
from ..services import answers, peer_scores, rankings, rounds, self_scores, verification


def _round(pk: int) -> ScoringRound:
    return get_object_or_404(
        ScoringRound.objects.select_related("table__campaign__agency", "table__block"), pk=pk
    )


def _matrix_url(round_: ScoringRound) -> str:
    return reverse("scoring_matrix", args=[round_.table_id, round_.period])


def _parse(request: HttpRequest, items: list[ScoringItem], prefix: str) -> dict[str, Decimal]:
    """The points typed per item ("points-1.2"); a blank cell is not sent to the service."""
    found: dict[str, Decimal] = {}
    bad: list[str] = []
    for item in items:
        text = request.POST.get(f"{prefix}-{item.code}", "").strip().replace(",", ".")
        if not text:
            continue
        try:
            found[item.code] = Decimal(text)
        except InvalidOperation:
            bad.append(item.code)
    if bad:
        raise ValidationError(_("Not a number: %(codes)s.") % {"codes": ", ".join(bad)})
    return found


def _texts(request: HttpRequest, items: list[ScoringItem], prefix: str) -> dict[str, str]:
    return {i.code: request.POST.get(f"{prefix}-{i.code}", "").strip() for i in items}


@login_required
def score_matrix(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """The round of a period: the matrix for the leader's team; a unit head goes to their
    own self-score form. The leader opens the round here."""
    table = get_object_or_404(table_selectors.table_queryset(), pk=pk)
    if period not in Period.values:
        raise Http404
    round_ = ScoringRound.objects.filter(table=table, period=period).first()
    if round_ is None:
        return _round_start(request, table, period)
    round_.table = table
    if not permissions.may_see_matrix(request.user, round_):
        own = headed_unit_ids(request.user)
        mine = [u for u in table_selectors.block_unit_ids(table) if u in own]
        if mine:
            return redirect("scoring_self", round_.pk, mine[0])
        raise PermissionDenied
    context = pages.matrix_page(request.user, round_)
    context["window_form"] = AnswerWindowForm(initial={"answer_until": round_.answer_until})
    return render(request, "scoring/matrix.html", context)


def _round_start(request: HttpRequest, table: ScoringTable, period: str) -> HttpResponse:
    """No round yet for the period: whoever edits the table opens it."""
    if not permissions.may_edit(request.user, table):
        raise PermissionDenied
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        rounds.round_open(
            actor=request.user,
            table=table,
            period=period,
            method=form.cleaned_data["method"] or FinalMethod.VERIFIED,
            scorers=form.cleaned_data["scorers"] or Scorers.LEADER_TEAM,
        )
        messages.success(request, _("The scoring round is open."))
        return redirect(request.path)
    return render(
        request, "scoring/round_start.html", {"table": table, "period": period, "form": form}
    )


@login_required
def round_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """Who scores whom and the final method; the assigned pairs when the round uses them."""
    round_ = _round(pk)
    if not permissions.may_edit(request.user, round_.table):
        raise PermissionDenied
    members = list(Unit.objects.filter(pk__in=table_selectors.block_unit_ids(round_.table)))
    members.sort(key=lambda u: u.path)
    form = RoundForm(
        request.POST if request.POST.get("action") == "settings" else None,
        initial={"method": round_.method, "scorers": round_.scorers},
    )
    errors: list[str] = []
    if request.method == "POST":
        try:
            if _save_round_settings(request, round_, form, members):
                return redirect(request.path)
        except ValidationError as error:
            errors = error.messages
    context = {"round": round_, "table": round_.table, "form": form, "errors": errors}
    context.update(pages.pair_grid(round_, members))
    return render(request, "scoring/round_settings.html", context, status=400 if errors else 200)


def _save_round_settings(
    request: HttpRequest, round_: ScoringRound, form: RoundForm, members: list[Unit]
) -> bool:
    """Save the pairs or the settings posted; False when the form has errors to show."""
    if request.POST.get("action") == "pairs":
        rounds.assignments_set(actor=request.user, round_=round_, pairs=_pairs(request, members))
        messages.success(request, _("The assigned pairs were saved."))
        return True
    if not form.is_valid():
        return False
    rounds.round_configure(
        actor=request.user,
        round_=round_,
        method=form.cleaned_data["method"] or round_.method,
        scorers=form.cleaned_data["scorers"] or round_.scorers,
    )
    messages.success(request, _("The round's settings were saved."))
    return True


def _pairs(request: HttpRequest, members: list[Unit]) -> list[tuple[int, int]]:
    """The ticked boxes "pair-<scorer id>-<scored id>"."""
    found: list[tuple[int, int]] = []
    for name in request.POST:
        if not name.startswith("pair-"):
            continue
        try:
            scorer, scored = (int(x) for x in name.removeprefix("pair-").split("-"))
        except ValueError:
            continue
        found.append((scorer, scored))
    return found


def _unit_page(
    request: HttpRequest, round_: ScoringRound, unit: Unit, template: str, extra: dict[str, Any]
) -> HttpResponse:
    context = pages.unit_page(round_, unit, extra.get("scorer"))
    if context is None:
        raise Http404
    context.update(extra)
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


def _save_unit_form(
    request: HttpRequest,
    round_: ScoringRound,
    save: Callable[[list[ScoringItem]], Any],
    *,
    saved: str,
    done_url: str,
) -> tuple[HttpResponse | None, list[str]]:
    """A unit's score form, posted: the service called with the table's leaves. On success
    a message and the page to go to; on refusal the service's reasons, for the form."""
    if request.method != "POST":
        return None, []
    items = list(round_.table.items.exclude(kind="section"))
    try:
        save(items)
    except ValidationError as error:
        return None, error.messages
    messages.success(request, saved)
    return redirect(done_url), []


def _headed_unit(request: HttpRequest, unit_pk: int) -> Unit:
    """The unit whose head is signed in: self-scores and answers are theirs alone."""
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not permissions.may_self_score(request.user, unit.pk):
        raise PermissionDenied
    return unit


@login_required
def self_score(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    round_ = _round(pk)
    unit = _headed_unit(request, unit_pk)
    done, errors = _save_unit_form(
        request,
        round_,
        lambda items: self_scores.self_score(
            actor=request.user,
            round_=round_,
            unit=unit,
            points=_parse(request, items, "points"),
            notes=_texts(request, items, "note"),
        ),
        saved=_("The self-score was saved."),
        done_url=request.path,
    )
    if done is not None:
        return done
    scores_others = round_.assignments.filter(scorer=unit).exists()
    return _unit_page(
        request,
        round_,
        unit,
        "scoring/self_score.html",
        {"errors": errors, "scores_others": scores_others},
    )


def _verifier_page(
    request: HttpRequest,
    pk: int,
    unit_pk: int,
    *,
    save: Callable[..., Any],
    field: str,
    template: str,
    saved: str,
) -> HttpResponse:
    """Verification and second review: the same form of points with a reason per change,
    for the same people (never the unit itself), saved by a different service."""
    round_ = _round(pk)
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not permissions.may_verify(request.user, round_, unit.pk):
        raise PermissionDenied
    done, errors = _save_unit_form(
        request,
        round_,
        lambda items: save(
            actor=request.user,
            round_=round_,
            unit=unit,
            points=_parse(request, items, field),
            reasons=_texts(request, items, "reason"),
        ),
        saved=saved,
        done_url=_matrix_url(round_),
    )
    if done is not None:
        return done
    return _unit_page(request, round_, unit, template, {"errors": errors})


@login_required
def verify(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    return _verifier_page(
        request,
        pk,
        unit_pk,
        save=verification.verify,
        field="verified",
        template="scoring/verify.html",
        saved=_("The verified scores were saved."),
    )


@login_required
@require_POST
def round_lock(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    return post_action(
        request,
        lambda: rounds.round_lock(actor=request.user, round_=round_),
        success_message=_("The scores are locked."),
        done_url=_matrix_url(round_),
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    try:
        snapshot = rankings.publish(
            actor=request.user, round_=round_, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_matrix_url(round_))
    messages.success(request, _("The ranking was published."))
    return redirect("scoring_snapshot", snapshot.pk)


@login_required
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = get_object_or_404(
        RankingSnapshot.objects.select_related(
            "round__table__campaign__agency", "round__table__block", "replaces", "published_by"
        ),
        pk=pk,
    )
    table: ScoringTable = snapshot.round.table
    if not permissions.may_view(request.user, table):
        raise PermissionDenied
    context = {
        "snapshot": snapshot,
        "table": table,
        "round": snapshot.round,
        "report": report_document.report_of(snapshot),
        "may_issue_report": can(request.user, Action.DOCUMENT_ISSUE, table.campaign.agency),
    }
    return render(request, "scoring/snapshot.html", context)


@login_required
@require_POST
def snapshot_report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the block's report (Báo cáo) from this published ranking."""
    snapshot = get_object_or_404(RankingSnapshot.objects.select_related("round__table"), pk=pk)
    try:
        document = report_document.report_issue(actor=request.user, snapshot=snapshot)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Report %(symbol)s issued.") % {"symbol": document.symbol or document}
        )
    return redirect("scoring_snapshot", pk=snapshot.pk)


@login_required
def peer_list(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Chấm điểm đơn vị khác": the units assigned to the units this user heads."""
    round_ = _round(pk)
    own = headed_unit_ids(request.user)
    assignments = list(
        round_.assignments.filter(scorer_id__in=own)
        .select_related("scorer", "scored")
        .order_by("scorer__path", "scored__path")
    )
    if not assignments and not own & set(table_selectors.block_unit_ids(round_.table)):
        raise PermissionDenied
    done = {
        (scorer, unit): n
        for scorer, unit, n in PeerScore.objects.filter(
            sheet__round=round_, scorer_id__in=[a.scorer_id for a in assignments]
        )
        .values_list("scorer_id", "sheet__unit_id")
        .annotate(n=Count("id"))
    }
    leaves = round_.table.items.exclude(kind="section").count()
    rows = [
        {"assignment": a, "scored_items": done.get((a.scorer_id, a.scored_id), 0)}
        for a in assignments
    ]
    context = {"round": round_, "table": round_.table, "rows": rows, "leaves": leaves}
    return render(request, "scoring/peer_list.html", context)


@login_required
def peer_score(request: HttpRequest, pk: int, scorer_pk: int, unit_pk: int) -> HttpResponse:
    round_ = _round(pk)
    scorer = get_object_or_404(Unit, pk=scorer_pk)
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not permissions.may_self_score(request.user, scorer.pk):
        raise PermissionDenied
    if not round_.assignments.filter(scorer=scorer, scored=unit).exists():
        raise PermissionDenied
    done, errors = _save_unit_form(
        request,
        round_,
        lambda items: peer_scores.peer_score(
            actor=request.user,
            round_=round_,
            scorer=scorer,
            unit=unit,
            points=_parse(request, items, "points"),
            notes=_texts(request, items, "note"),
        ),
        saved=_("Your scores of “%(unit)s” were saved.") % {"unit": unit},
        done_url=reverse("scoring_peer_list", args=[round_.pk]),
    )
    if done is not None:
        return done
    return _unit_page(
        request,
        round_,
        unit,
        "scoring/peer_score.html",
        {"errors": errors, "scorer": scorer, "scorer_name": scorer.short_name or scorer.name},
    )


@login_required
@require_POST
def publish_verification(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    form = AnswerWindowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the last day on which units may answer."))
        return redirect(_matrix_url(round_))
    return post_action(
        request,
        lambda: verification.publish_verification(
            actor=request.user, round_=round_, answer_until=form.cleaned_data["answer_until"]
        ),
        success_message=_("The verification is published; units may answer their changes."),
        done_url=_matrix_url(round_),
    )


@login_required
def answer(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The unit head's answers (giải trình) to the scores the verification changed."""
    round_ = _round(pk)
    unit = _headed_unit(request, unit_pk)
    done, errors = _save_unit_form(
        request,
        round_,
        lambda items: answers.answer(
            actor=request.user, round_=round_, unit=unit, answers=_texts(request, items, "answer")
        ),
        saved=_("Your answers were sent."),
        done_url=request.path,
    )
    if done is not None:
        return done
    return _unit_page(request, round_, unit, "scoring/answer.html", {"errors": errors})


@login_required
def second_review(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    return _verifier_page(
        request,
        pk,
        unit_pk,
        save=answers.second_review,
        field="review",
        template="scoring/review.html",
        saved=_("The second review was saved."),
    )
