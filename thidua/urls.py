from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from thidua.api.api import api


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request: with the hashed static files of production, the manifest exists
    # only after collectstatic, never when the URLs are imported (check --deploy imports them).
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    # Browsers and bookmarks ask for /favicon.ico whatever the page links; the icon is an SVG.
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/tokens/", include("thidua.apitokens.urls")),
    path("accounts/password/", include("thidua.accounts.urls_password")),
    path("accounts/", include("thidua.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("thidua.documents.urls")),
    path("covenants/", include("thidua.covenants.urls")),
    path("signatures/", include("thidua.signatures.urls")),
    path("scoring/", include("thidua.scoring.urls")),
    path("voting/", include("thidua.voting.urls")),
    path("reports/", include("thidua.reports.urls")),
    path("awards/", include("thidua.awards.urls")),
    path("initiatives/", include("thidua.initiatives.urls")),
    path("proposals/", include("thidua.proposals.urls")),
    path("titles/", include("thidua.titles.urls")),
    path("years/", include("thidua.years.urls")),
    path("", include("thidua.org.urls")),
    path("", include("thidua.campaigns.urls")),
    path("", include("thidua.covenants.urls_dossier")),
    path("", include("thidua.awards.urls_documents")),
    path("", include("thidua.web.urls")),
]
