from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.campaigns.selectors import dashboard_for
from thidua.org.selectors import search_people, search_units

from .actions import suggested_actions


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    board = dashboard_for(request.user)
    context = {"board": board, "suggestions": suggested_actions(request.user, board.campaign)}
    return render(request, "web/dashboard.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context = {
        "query": query,
        "units": list(search_units(query)) if query else [],
        "people": list(search_people(query)) if query else [],
    }
    # The search box in the menu asks through htmx for the result list alone.
    template = "web/search_results.html" if request.htmx else "web/search.html"  # type: ignore[attr-defined]
    return render(request, template, context)
