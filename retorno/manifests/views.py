"""Manifest pages: list and upload, a manifest's rows and errors, confirm an arrival from a row."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from retorno.accounts.access import points_in_scope
from retorno.accounts.permissions import Perm, requires
from retorno.audit.services import audit_record
from retorno.core.errors import form_add_service_errors
from retorno.core.exceptions import DomainError
from retorno.core.exports import SafeWriter
from retorno.core.pagination import page_of
from retorno.identity.services import person_candidates_search
from retorno.jobs.services import job_start
from retorno.jobs.views import job_redirect
from retorno.manifests import selectors, services, transfers
from retorno.manifests.forms import ConfirmArrivalForm, TransferExportForm, TransferImportForm, UploadForm
from retorno.manifests.models import Manifest, ManifestRow
from retorno.manifests.reading import max_bytes, read_manifest
from retorno.reception.intake import match_query_for

TRANSFER_PERSON_FIELDS = (
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "national_id",
    "birth_place",
    "expected_at",
    "notes",
)


def _manifest_or_404(user, manifest_id: int) -> Manifest:
    try:
        return selectors.manifest_get_visible(user, manifest_id)
    except Manifest.DoesNotExist:
        raise Http404 from None


def _row_or_404(manifest: Manifest, row_id: int) -> ManifestRow:
    try:
        return selectors.manifest_row_get(manifest, row_id)
    except ManifestRow.DoesNotExist:
        raise Http404 from None


def _upload_start(request, form: UploadForm):
    """Check the uploaded file as a whole (size, readable, columns, already imported) and start
    its import in the background; None, with the reasons on the form, when it is refused."""
    upload, point = form.cleaned_data["file"], form.cleaned_data["point"]
    if upload.size > max_bytes():
        form.add_error(
            "file",
            _("El archivo pesa %(size)s bytes; el máximo es %(max)s bytes.")
            % {"size": upload.size, "max": max_bytes()},
        )
        return None
    content = upload.read(max_bytes() + 1)
    try:
        read_manifest(content, upload.name or "")  # a refused file is said here, not on the job's page
    except ValidationError as exc:
        for msg in exc.message_dict.get("file", exc.messages):
            form.add_error("file", msg)
        return None
    earlier = services.manifest_same_content(point, content)
    if earlier is not None and not form.cleaned_data["confirm_duplicate"]:
        at = date_format(timezone.localtime(earlier.uploaded_at), "SHORT_DATETIME_FORMAT")
        form.add_error("file", services.MSG_ALREADY_IMPORTED % {"at": at, "title": earlier})
        form.offer_reimport()
        return None
    # Validating and matching thousands of rows takes a while: the worker does it.
    return job_start(
        user=request.user,
        kind="manifest_import",
        params={
            "point_id": point.pk,
            "title": form.cleaned_data["title"],
            "confirm_duplicate": earlier is not None,
        },
        input_name=upload.name or "",
        input_data=content,
    )


@requires(Perm.MANIFEST_USE)
@require_http_methods(["GET", "POST"])
def manifest_list(request):
    points = points_in_scope(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, points=points)
    if request.method == "POST" and form.is_valid():
        job = _upload_start(request, form)
        if job is not None:
            return job_redirect(request, job)
    page = page_of(request, selectors.manifest_list_visible(request.user))
    return render(request, "manifests/list.html", {"form": form, "page": page, "max_bytes": max_bytes()})


@requires(Perm.MANIFEST_USE)
@require_GET
def manifest_detail(request, manifest_id: int):
    manifest = _manifest_or_404(request.user, manifest_id)
    status = request.GET.get("status", "")
    rows = page_of(
        request, selectors.manifest_rows(manifest, status=status), detail={"manifest": manifest.pk}
    )
    counts = {s: manifest.rows.filter(status=s).count() for s in ManifestRow.Status.values}
    audit_record(
        user=request.user,
        action="view",
        obj=manifest,
        reception_point_id=manifest.reception_point_id,
        detail={"rows": len(rows.object_list)},
    )
    return render(
        request,
        "manifests/detail.html",
        {
            "manifest": manifest,
            "rows": rows,
            "issues": manifest.issues.all(),
            "counts": counts,
            "status": status,
            "statuses": ManifestRow.Status.choices,
        },
    )


@requires(Perm.MANIFEST_USE)
@require_GET
def issues_csv(request, manifest_id: int):
    """The line-by-line error report as CSV (cells escaped against formula injection)."""
    manifest = _manifest_or_404(request.user, manifest_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="errores-lista-{manifest.pk}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly only with a BOM
    writer = SafeWriter(response)
    writer.writerow([_("Línea"), _("Columna"), _("Problema"), _("Valor")])
    for issue in manifest.issues.all():
        writer.writerow([issue.line_number, issue.column, str(issue.message), issue.value])
    return response


@requires(Perm.MANIFEST_USE)
@require_http_methods(["GET", "POST"])
def row_confirm(request, manifest_id: int, row_id: int):
    """The registration form pre-filled from the row, with match candidates as at the desk."""
    manifest = _manifest_or_404(request.user, manifest_id)
    row = _row_or_404(manifest, row_id)
    point = manifest.reception_point
    if row.status != ManifestRow.Status.PENDING:
        messages.warning(request, _("Esta persona ya no está pendiente en la lista."))
        return redirect("manifests:detail", manifest_id=manifest.pk)
    prefill = services.manifest_row_arrival_data(row)
    query = prefill
    if request.method == "POST":
        form = ConfirmArrivalForm(request.POST)
        if form.is_valid():
            data = query = form.arrival_data(point)
            try:
                event = services.manifest_row_confirm(
                    user=request.user,
                    row=row,
                    data=data,
                    existing_person_id=form.existing_person_id(),
                    match_ticket=form.match_ticket(),
                    access_reason=form.cleaned_data.get("access_reason", ""),
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("Llegada registrada: %(name)s.") % {"name": event.person.full_name}
                )
                return redirect("manifests:detail", manifest_id=manifest.pk)
    else:
        form = ConfirmArrivalForm(initial=ConfirmArrivalForm.initial_from(prefill))
    # The one candidate search of the desk: masked, scoped, audited.
    candidates = person_candidates_search(
        user=request.user, query=match_query_for(query), limit=10, audit_detail={"manifest_row": row.pk}
    )
    return render(
        request,
        "manifests/confirm.html",
        {
            "manifest": manifest,
            "row": row,
            "form": form,
            "candidates": candidates,
            "chosen": request.POST.get("person", "new").partition("|")[0]
            if request.method == "POST"
            else "new",
        },
    )


@requires(Perm.MANIFEST_USE)
@require_POST
def row_status(request, manifest_id: int, row_id: int):
    manifest = _manifest_or_404(request.user, manifest_id)
    row = _row_or_404(manifest, row_id)
    try:
        services.manifest_row_set_status(user=request.user, row=row, status=request.POST.get("status", ""))
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("manifests:detail", manifest_id=manifest.pk)


@requires(Perm.MANIFEST_USE)
@require_POST
def close_pending(request, manifest_id: int):
    manifest = _manifest_or_404(request.user, manifest_id)
    changed = services.manifest_close_pending(user=request.user, manifest=manifest)
    messages.success(request, _("%(n)s personas pendientes marcadas como no presentadas.") % {"n": changed})
    return redirect("manifests:detail", manifest_id=manifest.pk)


@requires(Perm.MANIFEST_USE)
@require_http_methods(["GET", "POST"])
def transfer_page(request):
    """Assisted return between instances: sign a package for a foreign national received here,
    import a package received from another country's instance, and the transfers of the scope."""
    points = points_in_scope(request.user)
    action = request.POST.get("action", "")
    # Two forms on one page: prefixed, so that their fields' ids stay unique.
    export_form = TransferExportForm(request.POST if action == "export" else None, points=points, prefix="out")
    import_form = TransferImportForm(request.POST if action == "import" else None, points=points, prefix="in")
    package = ""
    if action == "export" and export_form.is_valid():
        cd = export_form.cleaned_data
        person = transfers.TransferPerson(
            **{k: cd[k] or ("" if k not in ("birth_date", "expected_at") else None) for k in TRANSFER_PERSON_FIELDS}
        )
        try:
            package, _record = transfers.transfer_export(
                user=request.user,
                point=cd["point"],
                person=person,
                to_country=cd["to_country"],
                consent_scope=cd["consent_scope"],
                consent_method=cd["consent_method"],
            )
        except ValidationError as exc:
            form_add_service_errors(export_form, exc)
    if action == "import" and import_form.is_valid():
        try:
            manifest = transfers.transfer_import(
                user=request.user, point=import_form.cleaned_data["point"], token=import_form.cleaned_data["package"]
            )
        except ValidationError as exc:
            form_add_service_errors(import_form, exc)
        else:
            messages.success(request, _("Paquete verificado: la persona quedó como llegada esperada."))
            return redirect("manifests:detail", manifest.pk)
    return render(
        request,
        "manifests/transfers.html",
        {
            "export_form": export_form,
            "import_form": import_form,
            "package": package,
            "transfers": selectors.transfer_list_visible(request.user)[:50],
        },
    )
