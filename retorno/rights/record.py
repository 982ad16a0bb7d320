"""The complete record held about a person, for an access request: every app's data about them
and who read or changed it (the audit trail), as JSON and as a PDF the person can read."""

import io
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.audit.models import AuditEntry, AuditEntryPerson
from retorno.identity.models import Person


def _rows(queryset, fields: list[str]) -> list[dict[str, Any]]:
    return [dict(row) for row in queryset.values(*fields)]


def personal_record(person: Person) -> dict[str, Any]:
    from retorno.constancias.models import Constancia
    from retorno.diagnosis.models import Diagnosis
    from retorno.employment.models import (
        Application,
        Certification,
        SelfEmployment,
        SupportApplication,
        WorkProfile,
    )
    from retorno.followup.models import FollowUp, ReintegrationSurvey
    from retorno.portal.models import OutboundMessage
    from retorno.reception.models import RepatriationEvent
    from retorno.referrals.models import Consent, Referral
    from retorno.rights.models import DataRightsRequest

    ids = [person.pk, *Person.objects.filter(merged_into=person).values_list("pk", flat=True)]
    viewed = AuditEntry.objects.filter(
        Q(person_id__in=ids) | Q(pk__in=AuditEntryPerson.objects.filter(person_id__in=ids).values("entry_id"))
    ).order_by("at")
    return {
        "generated_at": timezone.now(),
        "person": _rows(
            Person.objects.filter(pk=person.pk),
            [
                "id",
                "given_names",
                "first_surname",
                "second_surname",
                "sex",
                "birth_date",
                "birth_state__name",
                "curp",
                "phone_mx",
                "phone_us",
                "email",
                "indigenous",
                "indigenous_language",
                "preferred_language",
                "contact_by_message",
                "messages_opted_out_at",
                "created_at",
                "updated_at",
            ],
        )[0],  # fmt: skip
        "merged_records": ids[1:],
        "arrivals": _rows(
            RepatriationEvent.objects.filter(person_id__in=ids).order_by("arrived_at"),
            [
                "id",
                "arrived_at",
                "reception_point__name",
                "mode",
                "destination_state__name",
                "destination_municipality",
                "documents",
                "minor",
                "unaccompanied_minor",
                "status",
            ],
        ),  # fmt: skip
        "constancias": _rows(
            Constancia.objects.filter(event__person_id__in=ids),
            ["folio", "issued_at", "revoked_at", "print_count"],
        ),
        "diagnoses": _rows(
            Diagnosis.objects.filter(person_id__in=ids),
            ["created_at", "status", "answers", "needs", "flags", "priority"],
        ),
        "consents": _rows(
            Consent.objects.filter(person_id__in=ids),
            [
                "institution__name",
                "purpose",
                "method",
                "given_on",
                "valid_until",
                "withdrawn_at",
                "withdrawal_reason",
            ],
        ),
        "referrals": _rows(
            Referral.objects.filter(person_id__in=ids),
            [
                "service__name",
                "institution__name",
                "status",
                "sent_at",
                "closed_at",
                "outcome",
                "rejection_reason",
                "shared_data",
            ],
        ),
        "followups": _rows(
            FollowUp.objects.filter(person_id__in=ids), ["months", "due_date", "status", "reached_at"]
        ),
        "surveys": _rows(
            ReintegrationSurvey.objects.filter(person_id__in=ids),
            ["taken_on", "answers", "dimension_scores", "composite", "self_reported", "sources"],
        ),
        "employment": {
            "work_profile": _rows(
                WorkProfile.objects.filter(person_id__in=ids),
                [
                    "trade",
                    "occupation__name",
                    "experience_years",
                    "english_level",
                    "education",
                    "skills",
                    "certifications",
                ],
            ),
            "applications": _rows(
                Application.objects.filter(person_id__in=ids),
                [
                    "vacancy__title",
                    "vacancy__employer__name",
                    "status",
                    "sent_on",
                    "decided_on",
                    "shared_data",
                ],
            ),
            "support": _rows(
                SupportApplication.objects.filter(person_id__in=ids),
                ["programme", "status", "submitted_on", "decided_on"],
            ),
            "self_employment": _rows(
                SelfEmployment.objects.filter(person_id__in=ids),
                ["programme", "stage", "status", "credit_amount"],
            ),
            "certifications": _rows(
                Certification.objects.filter(person_id__in=ids),
                ["standard__code", "status", "certificate_number"],
            ),
        },
        "messages": _rows(
            OutboundMessage.objects.filter(person_id__in=ids), ["created_at", "channel", "purpose", "status"]
        ),
        "rights_requests": _rows(
            DataRightsRequest.objects.filter(person_id__in=ids),
            ["id", "kind", "status", "filed_at", "due_on", "decided_at"],
        ),
        "who_accessed": [
            {
                "at": e.at,
                "who": e.username or "—",
                "role": e.role,
                "action": e.action,
                "record": e.object_type,
            }
            for e in viewed
        ],
    }


def record_json(record: dict) -> bytes:
    return json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode("utf-8")


SECTION_TITLES = {
    "person": "Datos de identidad",
    "arrivals": "Llegadas (eventos de repatriación)",
    "constancias": "Constancias",
    "diagnoses": "Diagnósticos",
    "consents": "Consentimientos",
    "referrals": "Canalizaciones",
    "followups": "Seguimientos",
    "surveys": "Encuestas de reintegración",
    "employment": "Empleo",
    "messages": "Mensajes enviados",
    "rights_requests": "Solicitudes ARCO",
    "who_accessed": "Quién consultó o modificó su expediente",
}


def record_pdf(record: dict, *, title: str) -> bytes:
    """The record as a readable PDF: one section per kind of data, each item as key: value."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from retorno.constancias.pdf import FONT, FONT_BOLD, register_fonts

    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11)
    head = ParagraphStyle("head", fontName=FONT_BOLD, fontSize=11, leading=15, spaceBefore=8)
    big = ParagraphStyle("big", fontName=FONT_BOLD, fontSize=15, leading=19)
    flow = [
        Paragraph(escape(title), big),
        Paragraph(
            escape(
                _("Generado el %(at)s")
                % {"at": timezone.localtime(record["generated_at"]).strftime("%d/%m/%Y %H:%M")}
            ),
            body,
        ),
    ]

    def text(value) -> str:
        if isinstance(value, dict | list):
            return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
        return "—" if value in (None, "") else str(value)

    def items(value) -> list:
        if isinstance(value, dict) and all(isinstance(v, list) for v in value.values()):
            return [(k, v) for k, v in value.items()]
        return [("", value)]

    for key, title_text in SECTION_TITLES.items():
        flow.append(Paragraph(escape(title_text), head))
        for sub, value in items(record.get(key)):
            if sub:
                flow.append(Paragraph(f"<b>{escape(sub)}</b>", body))
            rows = value if isinstance(value, list) else [value]
            if not rows:
                flow.append(Paragraph("—", body))
            for row in rows:
                pairs = row.items() if isinstance(row, dict) else [("", row)]
                flow.append(
                    Paragraph(
                        escape(" · ".join(f"{k}: {text(v)}" if k else text(v) for k, v in pairs))[:4000], body
                    )
                )
                flow.append(Spacer(1, 1.5 * mm))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=letter,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
    ).build(flow)
    return buffer.getvalue()
