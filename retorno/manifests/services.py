"""Importing arrival manifests and confirming the people on them as they arrive."""

import hashlib
from dataclasses import replace
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from retorno.accounts.access import require_point
from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, require
from retorno.audit.services import audit_record
from retorno.core.exceptions import DomainError
from retorno.identity.names import key as name_key
from retorno.manifests.models import Manifest, ManifestIssue, ManifestRow
from retorno.manifests.reading import read_manifest
from retorno.manifests.validation import file_sex_convention, state_index, validate_row
from retorno.reception.models import RepatriationEvent
from retorno.reception.services import ArrivalData, arrival_register
from retorno.reference.models import ReceptionPoint

MSG_ROW_NOT_PENDING = _("Esta persona ya no está pendiente en la lista (estado: %(status)s).")
MSG_STATUS_INVALID = _("Estado no válido.")
MSG_ROW_HAS_EVENT = _("La llegada ya fue registrada; no se puede cambiar el estado.")
MSG_ALREADY_IMPORTED = _(
    "Este mismo archivo ya se importó para este punto el %(at)s (lista «%(title)s»). "
    "Si de verdad es otra llegada, marque «Importar de nuevo» y envíelo otra vez."
)


def content_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def manifest_same_content(point: ReceptionPoint, content: bytes) -> Manifest | None:
    """The latest manifest of the point imported from exactly these bytes, if any."""
    return Manifest.objects.filter(reception_point=point, content_sha256=content_digest(content)).first()



def _column_label(read, column: str) -> str:
    return read.columns.get(column, column)


@transaction.atomic
def manifest_import(
    *,
    user: User | None,
    point: ReceptionPoint,
    content: bytes,
    filename: str,
    title: str = "",
    confirm_duplicate: bool = False,
    progress=None,
) -> Manifest:
    """Import a manifest file for `point`: good rows are stored as pending arrivals and each bad
    line is recorded with its column and problem, all in one transaction.

    The whole file is refused (ValidationError {"file": [...]}, nothing stored) when it is empty,
    too big, unreadable, lacks required columns or has too many rows. `user` None means the
    command line (trusted operator); otherwise the user must be an officer or supervisor of the
    point (AccessDenied). A file already imported for the point (same bytes) is refused too
    unless `confirm_duplicate`. `progress(done, total, step)` hears of the rows as they are
    checked (background imports). Returns the manifest.
    """
    if user is not None:
        require(user, Perm.MANIFEST_USE)
        require_point(user, point)
    earlier = manifest_same_content(point, content)
    if earlier is not None and not confirm_duplicate:
        raise ValidationError(
            {
                "file": [
                    ValidationError(
                        MSG_ALREADY_IMPORTED,
                        code="duplicate_manifest",
                        params={
                            "at": date_format(timezone.localtime(earlier.uploaded_at), "SHORT_DATETIME_FORMAT"),
                            "title": str(earlier),
                        },
                    )
                ]
            }
        )
    read = read_manifest(content, filename)
    states = state_index()
    convention = file_sex_convention([row for _, row in read.rows])

    manifest = Manifest.objects.create(
        reception_point=point,
        title=" ".join(title.replace("\x00", "").split())[:200],
        source_name=(filename or "manifest").replace("\x00", "").rsplit("/", 1)[-1][:255] or "manifest",
        file_format=read.file_format,
        encoding=read.encoding,
        delimiter=read.delimiter,
        ignored_columns=read.ignored_columns,
        columns=read.columns,
        uploaded_by=user,
        content_sha256=content_digest(content),
    )
    rows, issues = [], []
    seen_curp: dict[str, int] = {}
    seen_person: dict[tuple, int] = {}
    bad_lines = set()
    for done, (line, raw) in enumerate(read.rows):
        if progress is not None and done % 200 == 0:
            progress(done, len(read.rows), "")
        result = validate_row(raw, states=states, sex_convention=convention)
        values = result.values
        if not result.problems:
            curp = values.get("curp")
            person_key = (
                name_key(values["given_names"]),
                name_key(values["first_surname"]),
                name_key(values["second_surname"]),
                values.get("birth_date"),
            )
            if curp and curp in seen_curp:
                result.add("curp", "duplicate_curp", curp, line=seen_curp[curp])
            elif values.get("birth_date") and person_key in seen_person:
                result.add(
                    "given_names", "duplicate_person", values["given_names"], line=seen_person[person_key]
                )
            else:
                if curp:
                    seen_curp[curp] = line
                if values.get("birth_date"):
                    seen_person[person_key] = line
        if result.problems:
            bad_lines.add(line)
            issues.extend(
                ManifestIssue(
                    manifest=manifest,
                    line_number=line,
                    column=_column_label(read, column),
                    code=code,
                    params=params,
                    value=raw_value,
                )
                for column, code, params, raw_value in result.problems
            )
            continue
        rows.append(ManifestRow(manifest=manifest, line_number=line, **values))
    ManifestRow.objects.bulk_create(rows, batch_size=500)
    ManifestIssue.objects.bulk_create(issues, batch_size=500)
    manifest.row_count = len(rows)
    manifest.error_line_count = len(bad_lines)
    manifest.save(update_fields=["row_count", "error_line_count"])
    audit_record(
        user=user,
        action="create",
        obj=manifest,
        reception_point_id=point.pk,
        detail={"file": manifest.source_name, "rows": len(rows), "error_lines": len(bad_lines)},
    )
    return manifest


def manifest_row_arrival_data(row: ManifestRow, *, arrived_at: datetime | None = None) -> ArrivalData:
    """The registration data pre-filled from a manifest row (the officer corrects it at the desk)."""
    point = row.manifest.reception_point
    return ArrivalData(
        reception_point=point,
        arrived_at=arrived_at or timezone.now(),
        given_names=row.given_names,
        first_surname=row.first_surname,
        second_surname=row.second_surname,
        sex=row.sex,
        birth_date=row.birth_date,
        birth_state=row.birth_state.code if row.birth_state_id else "",
        curp=row.curp,
        mode=RepatriationEvent.Mode.AIR if point.mode == "air" else RepatriationEvent.Mode.LAND,
        notes=row.notes,
    )


@transaction.atomic
def manifest_row_confirm(
    *,
    user: User,
    row: ManifestRow,
    data: ArrivalData,
    existing_person_id: int | None = None,
    match_ticket: str = "",
    access_reason: str = "",
) -> RepatriationEvent:
    """Register the arrival of the person on `row` through reception's arrival_register and link
    the new event to the row (status "arrived").

    The point is always the manifest's. Raises AccessDenied, ValidationError (from the
    registration), DomainError when the row is no longer pending or the arrival is a double entry.
    Returns the event.
    """
    require(user, Perm.MANIFEST_USE)
    point = row.manifest.reception_point
    require_point(user, point)
    row = ManifestRow.objects.select_for_update().select_related("manifest").get(pk=row.pk)
    if row.status != ManifestRow.Status.PENDING:
        raise DomainError(MSG_ROW_NOT_PENDING % {"status": row.get_status_display()}, code="row_not_pending")
    event = arrival_register(
        user=user,
        data=replace(data, reception_point=point),
        existing_person_id=existing_person_id,
        match_ticket=match_ticket,
        access_reason=access_reason,
    )
    row.status = ManifestRow.Status.ARRIVED
    row.event = event
    row.status_changed_at = timezone.now()
    row.status_changed_by = user
    row.save(update_fields=["status", "event", "status_changed_at", "status_changed_by"])
    audit_record(
        user=user,
        action="update",
        obj=row,
        person_id=event.person_id,
        reception_point_id=point.pk,
        detail={"status": row.status, "event": event.pk, "manifest": row.manifest_id},
    )
    return event


@transaction.atomic
def manifest_row_set_status(*, user: User, row: ManifestRow, status: str) -> ManifestRow:
    """Mark a row as a no-show, or back to pending. A row whose arrival was registered keeps its
    status (the event exists). Raises AccessDenied, ValidationError, DomainError."""
    require(user, Perm.MANIFEST_USE)
    require_point(user, row.manifest.reception_point)
    if status not in (ManifestRow.Status.PENDING, ManifestRow.Status.NO_SHOW):
        raise ValidationError({"status": [MSG_STATUS_INVALID]})
    row = ManifestRow.objects.select_for_update().select_related("manifest").get(pk=row.pk)
    if row.event_id:
        raise DomainError(MSG_ROW_HAS_EVENT, code="row_has_event")
    if row.status != status:
        row.status = status
        row.status_changed_at = timezone.now()
        row.status_changed_by = user
        row.save(update_fields=["status", "status_changed_at", "status_changed_by"])
        audit_record(
            user=user,
            action="update",
            obj=row,
            reception_point_id=row.manifest.reception_point_id,
            detail={"status": status, "manifest": row.manifest_id},
        )
    return row


@transaction.atomic
def manifest_close_pending(*, user: User, manifest: Manifest) -> int:
    """After the last bus: mark every row still pending as a no-show. Returns how many changed.
    Raises AccessDenied outside the user's scope."""
    require(user, Perm.MANIFEST_USE)
    require_point(user, manifest.reception_point)
    pending = ManifestRow.objects.select_for_update().filter(
        manifest=manifest, status=ManifestRow.Status.PENDING
    )
    ids = list(pending.values_list("pk", flat=True))
    changed = ManifestRow.objects.filter(pk__in=ids).update(
        status=ManifestRow.Status.NO_SHOW, status_changed_at=timezone.now(), status_changed_by=user
    )
    if changed:
        audit_record(
            user=user,
            action="update",
            obj=manifest,
            reception_point_id=manifest.reception_point_id,
            detail={"closed_pending": changed, "rows": ids},
        )
    return changed
