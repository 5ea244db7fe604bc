from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from pledgewatch.chapters import views as chapter_views


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and uptime checks: no data, no database."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", chapter_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("pledgewatch.accounts.urls")),
    path("c/<slug:slug>/", include("pledgewatch.chapters.urls")),
    path("c/<slug:slug>/candidates/", include("pledgewatch.candidates.urls")),
    path("c/<slug:slug>/", include("pledgewatch.finance.urls")),
    path("c/<slug:slug>/campaigns/", include("pledgewatch.campaigns.urls")),
    path("c/<slug:slug>/pipeline/", include("pledgewatch.endorsements.urls")),
    path("c/<slug:slug>/forums/", include("pledgewatch.forums.urls")),
    path("p/<slug:slug>/", include("pledgewatch.endorsements.public_urls")),
    path("admin/", admin.site.urls),
]
