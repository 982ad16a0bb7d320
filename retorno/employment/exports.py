"""The payments file for the payments office: one row per payment, CSV or XLSX, spreadsheet-safe
(core.exports), audited as an export of personal data."""

import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from retorno.accounts.models import User
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.core.exports import SafeWriter, xlsx_append
from retorno.employment.access import employment_persons_visible
from retorno.employment.models import SupportPayment
from retorno.employment.rules import programmes

HEADER = [
    "folio_pago",
    "fecha_pago",
    "programa",
    "concepto",
    "monto",
    "moneda",
    "referencia",
    "nombre",
    "curp",
    "punto_recepcion",
    "fecha_retorno",
    "solicitud",
]


def payment_rows(user: User) -> list[list]:
    payments = (
        SupportPayment.objects.filter(application__person__in=employment_persons_visible(user))
        .select_related("application__person", "application__reception_point", "event")
        .order_by("paid_on", "id")
    )
    currency = programmes().currency
    return [
        [
            p.pk,
            p.paid_on.isoformat(),
            p.application.programme,
            p.concept,
            float(p.amount),
            currency,
            p.reference,
            p.application.person.full_name,
            p.application.person.curp or "",
            p.application.reception_point.code,
            timezone.localtime(p.event.arrived_at).date().isoformat(),
            p.application_id,
        ]
        for p in payments
    ]


def payments_response(user: User, fmt: str) -> HttpResponse:
    rows = payment_rows(user)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = "pagos"
        xlsx_append(sheet, HEADER)
        for row in rows:
            xlsx_append(sheet, row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        text = io.StringIO()
        writer = SafeWriter(text)
        writer.writerow(HEADER)
        writer.writerows(rows)
        response = HttpResponse(text.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pagos-{stamp}.{fmt}"'
    audit_record(
        user=user,
        action=AuditEntry.Action.EXPORT,
        object_type="employment.supportpayment",
        detail={"format": fmt, "rows": len(rows), "ids": [r[0] for r in rows][:1000]},
    )
    return response
