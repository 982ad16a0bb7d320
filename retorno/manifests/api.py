"""Manifests API: upload (multipart), list manifests and rows, confirm a row, mark a no-show."""

from datetime import date, datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from retorno.accounts.access import points_in_scope
from retorno.accounts.permissions import Perm, api_requires
from retorno.core.api_types import MAX_ID
from retorno.identity.api_fields import (
    CURP_DESCRIPTION,
    NATIONAL_ID_DESCRIPTION,
    errors_named,
    national_id_input,
    national_id_output,
)
from retorno.manifests import selectors, services, transfers
from retorno.manifests.models import Manifest
from retorno.manifests.reading import max_bytes
from retorno.reception.models import RepatriationEvent

router = Router()


class IssueOut(Schema):
    line: int
    column: str
    code: str
    message: str
    value: str


class ManifestOut(Schema):
    id: int
    reception_point: str
    title: str
    source_name: str
    file_format: str
    encoding: str
    row_count: int
    error_line_count: int
    ignored_columns: list[str]
    uploaded_at: datetime


class ManifestDetailOut(ManifestOut):
    issues: list[IssueOut]


class RowOut(Schema):
    id: int
    line: int
    given_names: str
    first_surname: str
    second_surname: str
    sex: str
    birth_date: date | None
    birth_state: str | None
    nationality: str
    national_id: str = Field(..., description=NATIONAL_ID_DESCRIPTION)
    curp: str | None = Field(None, description=CURP_DESCRIPTION)
    expected_at: datetime | None
    notes: str
    status: str
    event_id: int | None


class ConfirmIn(Schema):
    """Fields omitted are taken from the manifest row; arrived_at defaults to now."""

    existing_person_id: int | None = Field(None, ge=1, le=MAX_ID)
    match_ticket: str = Field("", max_length=200, description="The candidate's ticket from POST /api/identity/match")
    access_reason: str = Field("", max_length=300, description="Required for a person of another point")
    arrived_at: datetime | None = None
    given_names: str | None = Field(None, max_length=120)
    first_surname: str | None = Field(None, max_length=80)
    second_surname: str | None = Field(None, max_length=80)
    sex: str | None = Field(None, max_length=1)
    birth_date: date | None = None
    estimated_age_band: Literal["0-11", "12-17", "18+", ""] = ""
    birth_state: str | None = Field(None, max_length=2)
    national_id: str | None = Field(None, max_length=24, description=NATIONAL_ID_DESCRIPTION)
    curp: str | None = Field(None, max_length=24, description=CURP_DESCRIPTION)
    phone_mx: str = Field("", max_length=20)
    phone_us: str = Field("", max_length=20)
    documents: list[str] = Field(default_factory=list, max_length=20)
    destination_state: str = Field("", max_length=2)
    destination_municipality: str = Field("", max_length=120)
    mode: RepatriationEvent.Mode | None = None
    unaccompanied_minor: bool = False
    notes: str | None = Field(None, max_length=2000)


class ConfirmOut(Schema):
    event_id: int
    person_id: int
    row: RowOut


class StatusIn(Schema):
    status: str


def _manifest(m: Manifest) -> dict:
    return {
        "id": m.pk,
        "reception_point": m.reception_point.code,
        "title": m.title,
        "source_name": m.source_name,
        "file_format": m.file_format,
        "encoding": m.encoding,
        "row_count": m.row_count,
        "error_line_count": m.error_line_count,
        "ignored_columns": m.ignored_columns,
        "uploaded_at": m.uploaded_at,
    }


def _detail(m: Manifest) -> dict:
    issues = [
        {"line": i.line_number, "column": i.column, "code": i.code, "message": i.message, "value": i.value}
        for i in m.issues.all()
    ]
    return {**_manifest(m), "issues": issues}


def _row(r) -> dict:
    return {
        "id": r.pk,
        "line": r.line_number,
        "given_names": r.given_names,
        "first_surname": r.first_surname,
        "second_surname": r.second_surname,
        "sex": r.sex,
        "birth_date": r.birth_date,
        "birth_state": r.birth_state.code if r.birth_state_id else None,
        "nationality": r.nationality,
        **national_id_output(r.curp),
        "expected_at": r.expected_at,
        "notes": r.notes,
        "status": r.status,
        "event_id": r.event_id,
    }


@router.post("/", response={201: ManifestDetailOut}, summary="Upload a manifest (CSV or XLSX)")
@api_requires(Perm.MANIFEST_USE)
def upload(
    request, file: File[UploadedFile], point: Form[str], title: Form[str] = "", confirm_duplicate: Form[bool] = False
):
    """Import a manifest for the point (its code, e.g. TIJ). Good rows are stored; bad lines come
    back in `issues` (line, column, message). 400 {"errors": {"file": [...]}} when the whole file
    is refused (empty, too big, unreadable, missing columns, too many rows, or the same file
    already imported for the point - send confirm_duplicate=true to import it again)."""
    target = get_object_or_404(
        points_in_scope(request.auth), code=point.replace("\x00", "").strip().upper()[:12]
    )
    if file.size and file.size > max_bytes():
        from django.core.exceptions import ValidationError

        from retorno.manifests.reading import MSG_TOO_BIG

        raise ValidationError({"file": [MSG_TOO_BIG % {"size": file.size, "max": max_bytes()}]})
    manifest = services.manifest_import(
        user=request.auth,
        point=target,
        content=file.read(max_bytes() + 1),
        filename=file.name or "",
        title=title,
        confirm_duplicate=confirm_duplicate,
    )
    return Status(201, _detail(manifest))


class TransferPersonIn(Schema):
    given_names: str = Field(..., max_length=120)
    first_surname: str = Field("", max_length=80)
    second_surname: str = Field("", max_length=80)
    sex: Literal["H", "M", ""] = ""
    birth_date: date | None = None
    national_id: str = Field("", max_length=24, description="The number of the person's own country, as told or shown")
    birth_place: str = Field("", max_length=80, description="A first-level division's name in the person's country")
    expected_at: datetime | None = None
    notes: str = Field("", max_length=500)


class TransferExportIn(Schema):
    """A foreign national received here, to be returned to their country's Retorno instance."""

    point: str = Field(..., max_length=12, description="Your reception point's code")
    to_country: str = Field(..., min_length=2, max_length=2, description="The person's country (e.g. GT)")
    consent_scope: list[Literal["identity", "birthplace", "arrival"]] = Field(
        ..., min_length=1, max_length=3, description="What the person agreed to share; `identity` is required"
    )
    consent_method: Literal["signed", "verbal", "guardian"]
    person: TransferPersonIn


class TransferExportOut(Schema):
    package_id: str
    package: str = Field(..., description="The signed package (compact JWS) to hand to the receiving instance")
    fields: list[str]


class TransferImportIn(Schema):
    point: str = Field(..., max_length=12, description="Your reception point's code")
    package: str = Field(..., max_length=20000)


@router.post("/transfers/export", response={201: TransferExportOut}, summary="Sign an assisted-return package")
@api_requires(Perm.MANIFEST_USE)
def transfer_export(request, payload: TransferExportIn):
    """Sign a transfer package for a foreign national's return to their country (PEM 3.4): only
    the fields `consent_scope` allows travel. Recorded and audited; the package is not stored."""
    point = get_object_or_404(points_in_scope(request.auth), code=payload.point.replace("\x00", "").strip().upper())
    person = transfers.TransferPerson(**payload.person.dict())
    token, record = transfers.transfer_export(
        user=request.auth,
        point=point,
        person=person,
        to_country=payload.to_country,
        consent_scope=list(payload.consent_scope),
        consent_method=payload.consent_method,
    )
    return Status(201, {"package_id": str(record.package_id), "package": token, "fields": record.fields})


@router.post("/transfers/import", response={201: ManifestDetailOut}, summary="Import an assisted-return package")
@api_requires(Perm.MANIFEST_USE)
def transfer_import(request, payload: TransferImportIn):
    """Verify a package from a trusted instance and import it as an expected arrival at the point.
    400 {"errors": {"package": [...]}} when it is tampered, from an unknown signer, for another
    country, expired or already imported: then nothing is imported."""
    point = get_object_or_404(points_in_scope(request.auth), code=payload.point.replace("\x00", "").strip().upper())
    manifest = transfers.transfer_import(user=request.auth, point=point, token=payload.package)
    return Status(201, _detail(manifest))


@router.get("/", response=list[ManifestOut], summary="Manifests in your scope")
@paginate
@api_requires(Perm.MANIFEST_USE)
def manifest_list(request):
    return [_manifest(m) for m in selectors.manifest_list_visible(request.auth)]


@router.get("/{manifest_id}", response=ManifestDetailOut, summary="A manifest with its import errors")
@api_requires(Perm.MANIFEST_USE)
def manifest_detail(request, manifest_id: int):
    return _detail(selectors.manifest_get_visible(request.auth, manifest_id))


@router.get("/{manifest_id}/rows", response=list[RowOut], summary="Expected persons of a manifest")
@api_requires(Perm.MANIFEST_USE)
def manifest_rows(request, manifest_id: int, status: str = ""):
    manifest = selectors.manifest_get_visible(request.auth, manifest_id)
    from retorno.audit.services import audit_record

    rows = list(selectors.manifest_rows(manifest, status=status))
    audit_record(
        user=request.auth,
        action="view",
        obj=manifest,
        reception_point_id=manifest.reception_point_id,
        detail={"rows": len(rows)},
    )
    return [_row(r) for r in rows]


@router.post("/{manifest_id}/rows/{row_id}/confirm", response={201: ConfirmOut}, summary="Confirm an arrival")
@api_requires(Perm.MANIFEST_USE)
def confirm(request, manifest_id: int, row_id: int, payload: ConfirmIn):
    """Register the arrival of the row's person (reception's registration rules apply) and link
    the event to the row. 409 if the row is not pending or the arrival is a double entry."""
    manifest = selectors.manifest_get_visible(request.auth, manifest_id)
    row = selectors.manifest_row_get(manifest, row_id)
    data = services.manifest_row_arrival_data(row, arrived_at=payload.arrived_at or timezone.now())
    for name in (
        "given_names",
        "first_surname",
        "second_surname",
        "sex",
        "birth_date",
        "birth_state",
        "notes",
    ):
        value = getattr(payload, name)
        if value is not None:
            setattr(data, name, value)
    id_field = "curp"
    if payload.national_id is not None or payload.curp is not None:
        data.curp, id_field = national_id_input(payload.national_id, payload.curp)
    data.phone_mx, data.phone_us = payload.phone_mx, payload.phone_us
    data.documents = payload.documents
    data.destination_state = payload.destination_state
    data.destination_municipality = payload.destination_municipality
    data.unaccompanied_minor = payload.unaccompanied_minor
    data.estimated_age_band = payload.estimated_age_band
    if payload.mode:
        data.mode = payload.mode
    if data.arrived_at and timezone.is_naive(data.arrived_at):
        data.arrived_at = timezone.make_aware(data.arrived_at)
    with errors_named(id_field):
        event = services.manifest_row_confirm(
            user=request.auth,
            row=row,
            data=data,
            existing_person_id=payload.existing_person_id,
            match_ticket=payload.match_ticket,
            access_reason=payload.access_reason,
        )
    row.refresh_from_db()
    return Status(201, {"event_id": event.pk, "person_id": event.person_id, "row": _row(row)})


@router.post("/{manifest_id}/rows/{row_id}/status", response=RowOut, summary="Mark no-show or pending")
@api_requires(Perm.MANIFEST_USE)
def row_status(request, manifest_id: int, row_id: int, payload: StatusIn):
    manifest = selectors.manifest_get_visible(request.auth, manifest_id)
    row = selectors.manifest_row_get(manifest, row_id)
    return _row(services.manifest_row_set_status(user=request.auth, row=row, status=payload.status))


class CloseOut(Schema):
    closed: int


@router.post("/{manifest_id}/close", response=CloseOut, summary="Mark every pending row as no-show")
@api_requires(Perm.MANIFEST_USE)
def close_pending(request, manifest_id: int):
    manifest = selectors.manifest_get_visible(request.auth, manifest_id)
    return {"closed": services.manifest_close_pending(user=request.auth, manifest=manifest)}
