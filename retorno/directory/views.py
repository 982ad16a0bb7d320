from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from retorno.accounts.permissions import Perm, requires
from retorno.core.pagination import page_of
from retorno.directory import catalogs, hsds
from retorno.directory.forms import HsdsImportForm
from retorno.directory.models import Service
from retorno.directory.selectors import institution_list, service_detail, service_list
from retorno.jobs.services import job_start
from retorno.jobs.views import job_redirect
from retorno.reference.models import State


@requires(Perm.DIRECTORY_READ)
def index(request):
    params = {k: request.GET.get(k, "")[:60] for k in ("q", "need", "state", "institution")}
    services = service_list(**params)
    page = page_of(request, services)
    return render(
        request,
        "directory/index.html",
        {
            "page": page,
            "params": params,
            "needs": [(c, catalogs.need_label(c)) for c in catalogs.need_codes()],
            "states": State.objects.filter(is_foreign=False),
            "institutions": institution_list(),
            "is_admin": request.user.is_admin_role,
        },
    )


def _places_taken(service_ids: list[int]) -> dict[int, int]:
    from retorno.referrals.selectors import service_places_taken_this_month

    return service_places_taken_this_month(service_ids)


@requires(Perm.DIRECTORY_READ)
def service(request, code):
    try:
        obj = service_detail(code)
    except Service.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "directory/service.html",
        {
            "service": obj,
            "needs": [catalogs.need_label(c) for c in obj.needs],
            "flags_any": [catalogs.flag_label(c) for c in obj.flags_any],
            "flags_excluded": [catalogs.flag_label(c) for c in obj.flags_excluded],
            "documents": [catalogs.document_label(c) for c in obj.documents_required],
            "states": [catalogs.state_label(c) for c in obj.states],
            "sexes": obj.sexes,
            "places_taken": _places_taken([obj.pk]).get(obj.pk, 0),
        },
    )


@requires(Perm.DIRECTORY_READ)
def hsds_export(request):
    payload = hsds.export_zip_bytes(user=request.user)
    response = HttpResponse(payload, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="directorio-hsds-{stamp}.zip"'
    return response


@requires(Perm.DIRECTORY_MANAGE)
@require_http_methods(["GET", "POST"])
def hsds_import(request):
    """Upload a package; the import (all or nothing) runs in the background."""
    form = HsdsImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(
            user=request.user, kind="hsds_import", input_name=upload.name, input_data=upload.read()
        )
        return job_redirect(request, job)
    return render(request, "directory/import.html", {"form": form})
