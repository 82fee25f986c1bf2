"""Every route of the service. Each app owns its own ``urls.py``."""

from django.contrib import admin
from django.urls import include, path, re_path

from thrive.api.api import api
from thrive.api.api import not_found as api_not_found

admin.site.site_header = "Thrive administration"
admin.site.site_title = "Thrive administration"

urlpatterns = [
    # First: every API call at a deadline is matched here, before the pages' routes are tried.
    path("api/", api.urls),
    re_path(r"^api/(?P<path>.*)$", api_not_found),
    path("", include("thrive.core.urls")),
    path("accounts/", include("thrive.accounts.urls")),
    path("organisations/", include("thrive.organisations.urls")),
    path("directory/", include("thrive.organisations.directory_urls")),
    path("audit/", include("thrive.audit.urls")),
    path("open-data/", include("thrive.opendata.urls")),
    path("strategy/", include("thrive.strategy.urls")),
    path("opportunities/", include("thrive.opportunities.urls")),
    path("applications/", include("thrive.applications.urls")),
    path("assessment/", include("thrive.assessment.urls")),
    path("awards/", include("thrive.awards.urls")),
    path("monitoring/", include("thrive.monitoring.urls")),
    path("reports/", include("thrive.reporting.urls")),
    path("", include("thrive.commissioning.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "thrive.core.views.bad_request"
handler403 = "thrive.core.views.permission_denied"
handler404 = "thrive.core.views.page_not_found"
handler500 = "thrive.core.views.server_error"
