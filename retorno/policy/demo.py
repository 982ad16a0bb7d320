"""Demo progress reports from several agencies for the current and the previous semester, so the
demo report has content and the coverage page shows gaps. Idempotent: existing reports are kept."""

from collections.abc import Callable

from django.utils import timezone

from retorno.accounts.models import User
from retorno.directory.models import Institution
from retorno.policy.models import PemLine, ProgressReport
from retorno.policy.periods import current_period, previous_period
from retorno.policy.services import progress_report_file, progress_report_review

# (semester: "previous"/"current", line, institution code, filer username, status, narrative, figures, reviewed)
DEMO_REPORTS = [
    (
        "previous",
        "3.4.3",
        "INM",
        "admin",
        "done",
        "Atención integral (alimentación, llamada, atención médica y transporte) en los 12 puntos de recepción.",
        [("Puntos de recepción operando", 12, "")],
        True,
    ),
    (
        "previous",
        "1.5.2",
        "INM",
        "admin",
        "in_progress",
        "Registro electrónico de eventos de repatriación con desglose por sexo, edad y punto de recepción.",
        [("Puntos con registro electrónico", 9, "")],
        True,
    ),
    (
        "previous",
        "3.2.1",
        "RENAPO",
        "gestor.renapo",
        "in_progress",
        "Módulos de consulta e impresión de CURP en los puntos de recepción de la frontera norte.",
        [("CURP impresas", 4210, "")],
        True,
    ),
    (
        "previous",
        "4.4.3",
        "STPS-SNE",
        "gestor.empleo",
        "in_progress",
        "Vinculación a la bolsa de trabajo en línea para personas repatriadas y apoyos de Repatriados Trabajando.",
        [("Personas vinculadas a un empleo", 1380, ""), ("Apoyos económicos otorgados", 640, "")],
        False,
    ),
    (
        "previous",
        "4.3.2",
        "SALUD",
        "gestor.salud",
        "in_progress",
        "Jornadas de detección de VIH y atención de salud mental en módulos de recepción.",
        [("Consultas otorgadas", 2950, "")],
        False,
    ),
    (
        "previous",
        "3.4.4",
        "DIF",
        "admin",
        "done",
        "Protocolo de recepción de niñas, niños y adolescentes no acompañados aplicado en todos los módulos.",
        [("NNA canalizados a DIF", 512, "")],
        True,
    ),
    (
        "previous",
        "4.1.2",
        "REGISTRO-CIVIL",
        "admin",
        "in_progress",
        "Expedición de actas de nacimiento a personas repatriadas sin documentos en Baja California.",
        [("Actas expedidas", 860, "")],
        False,
    ),
    (
        "current",
        "3.4.3",
        "INM",
        "admin",
        "in_progress",
        "Continúa la atención integral; se incorporó la entrega de constancias con código QR.",
        [("Constancias entregadas", 15400, "")],
        False,
    ),
    (
        "current",
        "3.2.1",
        "RENAPO",
        "gestor.renapo",
        "done",
        "Consulta de CURP en línea disponible en todos los puntos de recepción.",
        [("CURP impresas", 5120, "")],
        True,
    ),
    (
        "current",
        "4.4.3",
        "STPS-SNE",
        "gestor.empleo",
        "in_progress",
        "Ferias de empleo para personas repatriadas en Tijuana y Ciudad Juárez.",
        [("Personas vinculadas a un empleo", 1510, "")],
        False,
    ),
    (
        "current",
        "4.6.8",
        "SRE",
        "admin",
        "blocked",
        "Recuperación de bienes en Estados Unidos detenida en espera de la renovación del convenio consular.",
        [],
        False,
    ),
    (
        "current",
        "5.2.6",
        "ALBERGUES",
        "admin",
        "in_progress",
        "Albergues de la sociedad civil reciben a personas repatriadas sin red de apoyo.",
        [("Noches de alojamiento", 7300, "")],
        False,
    ),
    (
        "current",
        "4.6.1",
        "OIM",
        "admin",
        "in_progress",
        "Acompañamiento a la reintegración económica en municipios de origen con alta recepción.",
        [("Planes de reintegración iniciados", 240, "")],
        False,
    ),
]


def load(log: Callable[[str], None]) -> None:
    if not PemLine.objects.exists():
        log("  policy demo: no catalog loaded, skipped")
        return
    current = current_period(timezone.localdate())
    periods = {"current": current, "previous": previous_period(current)}
    reviewer = User.objects.filter(username="supervisor.nacional").first()
    created = 0
    for when, line, inst_code, username, status, narrative, figures, reviewed in DEMO_REPORTS:
        institution = Institution.objects.filter(code=inst_code).first()
        user = User.objects.filter(username=username).first()
        period = periods[when]
        if institution is None or user is None:
            continue
        if ProgressReport.objects.filter(
            line__code=line, institution=institution, period=period.code
        ).exists():
            continue
        report = progress_report_file(
            user=user,
            line_code=line,
            institution_id=institution.pk,
            period=period.code,
            status=status,
            narrative=f"[Demo] {narrative}",
            figures=[{"label": label, "value": value, "unit": unit} for label, value, unit in figures],
            evidence_links=["https://www.gob.mx/inm"] if inst_code == "INM" else [],
        )
        if reviewed and reviewer is not None:
            progress_report_review(user=reviewer, report=report, note="Revisado (demo).")
        created += 1
    log(f"  policy progress reports: {created} created ({periods['previous']}, {current})")
