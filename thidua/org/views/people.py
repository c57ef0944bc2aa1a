"""People pages: the list and search, a person's record, employments, ratings and
discipline."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.lib.dates import today
from thidua.org import forms, selectors
from thidua.org.models import Person, Unit
from thidua.org.permissions import Action, can, may_see_personal_record, require
from thidua.org.services import discipline as discipline_services
from thidua.org.services import employment as employment_services
from thidua.org.services import people as person_services
from thidua.org.services import ratings as rating_services
from thidua.pages.views import form_page, post_action


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    people = (
        selectors.search_people(query, limit=500) if query else Person.objects.order_by("full_name")
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "org/person_list.html", {"page": page, "query": query})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_detail(get_object_or_404(Person, pk=pk).pk)
    units = [e.unit for e in person.employments.all()]
    may_see = may_see_personal_record(request.user, person.pk, units)
    current_unit = units[-1] if units else None
    context = {
        "person": person,
        "may_see_ratings": may_see,
        "may_manage": current_unit is not None
        and can(request.user, Action.PERSON_MANAGE, current_unit),
        "may_discipline": current_unit is not None
        and can(request.user, Action.DISCIPLINE_MANAGE, current_unit),
    }
    return render(request, "org/person_detail.html", context)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    initial = {"valid_from": today(), "unit": request.GET.get("unit")}
    form = forms.PersonCreateForm(request.POST or None, initial=initial)

    def save(data: dict) -> Person:
        person = person_services.person_save(
            actor=request.user,
            unit=data["unit"],
            code=data["code"],
            full_name=data["full_name"],
            birth_date=data["birth_date"],
            email=data["email"],
        )
        employment_services.employment_add(
            actor=request.user,
            person=person,
            unit=data["unit"],
            valid_from=data["valid_from"],
            position=data["position"],
        )
        return person

    return form_page(
        request,
        form,
        title=_("New person"),
        save=save,
        success=lambda person: reverse("person_detail", args=[person.pk]),
        success_message=_("The person was added."),
        cancel_url=reverse("person_list"),
    )


def _person_scope(person: Person) -> Unit:
    scope = selectors.person_scope_unit(person)
    if scope is None:
        raise PermissionDenied
    return scope


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    scope = _person_scope(person)
    require(request.user, Action.PERSON_MANAGE, scope)
    initial = {
        "code": person.code,
        "full_name": person.full_name,
        "birth_date": person.birth_date,
        "email": person.email,
    }
    form = forms.PersonForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title=_("Edit %(person)s") % {"person": person},
        save=lambda d: person_services.person_save(
            actor=request.user, unit=scope, person=person, **d
        ),
        success=lambda p: reverse("person_detail", args=[p.pk]),
        success_message=_("Saved."),
        cancel_url=reverse("person_detail", args=[person.pk]),
    )


@login_required
def employment_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    form = forms.EmploymentForm(request.POST or None, initial={"valid_from": today()})
    if request.method == "POST" and form.is_valid():
        require(request.user, Action.PERSON_MANAGE, form.cleaned_data["unit"])
    return form_page(
        request,
        form,
        title=_("Add employment: %(person)s") % {"person": person},
        save=lambda d: employment_services.employment_add(actor=request.user, person=person, **d),
        success=lambda e: reverse("person_detail", args=[person.pk]),
        success_message=_("Saved."),
        cancel_url=reverse("person_detail", args=[person.pk]),
    )


@login_required
def rating_set(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    require(request.user, Action.RATING_MANAGE, _person_scope(person))
    form = forms.StaffRatingForm(request.POST or None, initial={"year": today().year})
    return form_page(
        request,
        form,
        title=_("Annual rating: %(person)s") % {"person": person},
        save=lambda d: rating_services.staff_rating_set(actor=request.user, person=person, **d),
        success=lambda r: reverse("person_detail", args=[person.pk]),
        success_message=_("Saved."),
        cancel_url=reverse("person_detail", args=[person.pk]),
    )


@login_required
def discipline_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    require(request.user, Action.DISCIPLINE_MANAGE, _person_scope(person))
    form = forms.DisciplineForm(request.POST or None, initial={"unit": _person_scope(person)})
    return form_page(
        request,
        form,
        title=_("Discipline record: %(person)s") % {"person": person},
        save=lambda d: discipline_services.discipline_record_add(
            actor=request.user, person=person, **d
        ),
        success=lambda r: reverse("person_detail", args=[person.pk]),
        success_message=_("Saved."),
        cancel_url=reverse("person_detail", args=[person.pk]),
    )


@login_required
@require_POST
def person_archive(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    return post_action(
        request,
        lambda: person_services.person_archive(actor=request.user, person=person),
        success_message=_("The person was archived; their history is kept."),
        done_url=reverse("person_detail", args=[person.pk]),
    )
