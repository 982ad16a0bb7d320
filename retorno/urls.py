from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from retorno.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/", api.urls),
    path("accounts/", include("retorno.accounts.urls")),
    path("audit/", include("retorno.audit.urls")),
    path("jobs/", include("retorno.jobs.urls")),
    path("persons/", include("retorno.identity.urls")),
    path("linkage/", include("retorno.linkage.urls")),
    path("reception/", include("retorno.reception.urls")),
    path("constancias/", include("retorno.constancias.urls")),
    path("manifests/", include("retorno.manifests.urls")),
    path("diagnosis/", include("retorno.diagnosis.urls")),
    path("directory/", include("retorno.directory.urls")),
    path("referrals/", include("retorno.referrals.urls")),
    path("employment/", include("retorno.employment.urls")),
    path("followup/", include("retorno.followup.urls")),
    path("statistics/", include("retorno.statistics.urls")),
    path("policy/", include("retorno.policy.urls")),
    path("rights/", include("retorno.rights.urls")),
    path("grievances/", include("retorno.grievances.urls")),
    path("portal/", include("retorno.portal.urls")),
    path("", include("retorno.core.urls")),
]

handler400 = "retorno.core.errors.page_bad_request"
handler403 = "retorno.core.errors.page_permission_denied"
handler404 = "retorno.core.errors.page_not_found"
handler500 = "retorno.core.errors.page_server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static("/media/", document_root=settings.MEDIA_ROOT)
