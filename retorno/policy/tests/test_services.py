from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.core.exceptions import AccessDenied, DomainError
from retorno.policy import services
from retorno.policy.models import ProgressEvidence, ProgressReport
from retorno.policy.tests.factories import load_catalog, make_caseworker, make_report
from retorno.testing.factories import make_institution, make_point, make_user

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _catalog(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_catalog()


def _file(user, **kw):
    args = dict(
        user=user,
        line_code="4.4.3",
        institution_id=None,
        period="2026-S1",
        status="in_progress",
        narrative="Ferias de empleo en Tijuana.",
        today=TODAY,
    )
    args.update(kw)
    return services.progress_report_file(**args)


def test_caseworker_files_for_their_own_institution():
    caseworker = make_caseworker(make_institution("STPS-T", order="federal"))
    report = _file(
        caseworker,
        figures=[{"label": "Personas vinculadas", "value": "1200", "unit": "personas"}],
        evidence_links=["https://example.org/informe.pdf"],
    )
    assert report.institution == caseworker.institution
    assert report.order == "federal"
    assert (report.period_start, report.period_end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert report.figures == [{"label": "Personas vinculadas", "value": 1200.0, "unit": "personas"}]
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE, object_id=str(report.pk), detail__event="policy_report_file"
    ).exists()


def test_caseworker_cannot_file_for_another_institution():
    caseworker = make_caseworker()
    other = make_institution()
    with pytest.raises(AccessDenied):
        _file(caseworker, institution_id=other.pk)
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize(
    "role", [Role.ANALYST, Role.SUPERVISOR, Role.RECEPTION_OFFICER, Role.CHILD_PROTECTION]
)
def test_roles_other_than_caseworker_and_admin_file_nothing(role):
    user = make_user(role, point=make_point() if role == Role.RECEPTION_OFFICER else None)
    with pytest.raises(AccessDenied):
        _file(user, institution_id=make_institution().pk)
    assert ProgressReport.objects.count() == 0


def test_admin_files_for_any_named_institution_and_must_name_one():
    admin = make_user(Role.ADMIN)
    with pytest.raises(ValidationError) as exc:
        _file(admin)
    assert exc.value.message_dict["institution"] == [str(services.MSG_UNKNOWN_INSTITUTION)]
    report = _file(admin, institution_id=make_institution(order="municipal").pk)
    assert report.order == "municipal"


def test_bad_input_reports_every_field_and_saves_nothing():
    caseworker = make_caseworker()
    with pytest.raises(ValidationError) as exc:
        _file(
            caseworker,
            line_code="9.9.9",
            period="2026-S9",
            status="finished",
            narrative="  ",
            figures=[{"label": "", "value": "mucho"}],
            evidence_links=["javascript:alert(1)"],
        )
    errors = exc.value.message_dict
    assert errors["line"] == [str(services.MSG_UNKNOWN_LINE)]
    assert set(errors) == {"line", "period", "status", "narrative", "figures", "evidence_links"}
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True, None, "1e999"])
def test_figures_must_be_finite_numbers(value):
    with pytest.raises(ValidationError) as exc:
        _file(make_caseworker(), figures=[{"label": "x", "value": value}])
    assert "figures" in exc.value.message_dict


def test_a_future_period_is_refused():
    with pytest.raises(ValidationError) as exc:
        _file(make_caseworker(), period="2027")
    assert exc.value.message_dict["period"] == [str(services.MSG_FUTURE_PERIOD)]


def test_second_report_for_same_line_agency_and_period_is_a_conflict():
    caseworker = make_caseworker()
    _file(caseworker)
    with pytest.raises(DomainError):
        _file(caseworker, narrative="otra vez")
    assert ProgressReport.objects.count() == 1
    _file(caseworker, period="2026-S2")  # another period is fine


def test_pdf_and_image_evidence_is_stored_with_its_sniffed_type():
    report = _file(
        make_caseworker(),
        evidence_files=[
            SimpleUploadedFile("acta.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("foto.png", PNG, content_type="image/png"),
        ],
    )
    assert sorted(report.evidence_files.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]


def test_oversized_evidence_is_rejected_and_nothing_is_saved(settings):
    settings.RETORNO_POLICY_MAX_EVIDENCE_BYTES = 1024
    big = SimpleUploadedFile("grande.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        _file(make_caseworker(), evidence_files=[big])
    assert "grande.pdf" in exc.value.message_dict["evidence_files"][0]
    assert ProgressReport.objects.count() == 0
    assert ProgressEvidence.objects.count() == 0


def test_a_disallowed_file_type_is_rejected_even_when_named_pdf():
    fake = SimpleUploadedFile("informe.pdf", b"MZ\x90\x00 executable", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        _file(make_caseworker(), evidence_files=[fake])
    assert "informe.pdf" in exc.value.message_dict["evidence_files"][0]
    assert ProgressReport.objects.count() == 0


def test_national_supervisor_reviews_once():
    report = make_report()
    supervisor = make_user(Role.SUPERVISOR)
    services.progress_report_review(user=supervisor, report=report, note="Bien")
    report.refresh_from_db()
    assert report.reviewed_by == supervisor and report.review_note == "Bien"
    with pytest.raises(DomainError):
        services.progress_report_review(user=supervisor, report=report)


def test_point_supervisor_and_caseworker_cannot_review():
    report = make_report()
    for user in (make_user(Role.SUPERVISOR, point=make_point()), make_caseworker(report.institution)):
        with pytest.raises(AccessDenied):
            services.progress_report_review(user=user, report=report)
    report.refresh_from_db()
    assert report.reviewed_at is None


def test_update_is_allowed_to_the_agency_until_review():
    caseworker = make_caseworker()
    report = _file(caseworker)
    services.progress_report_update(user=caseworker, report=report, status="done", narrative="Concluida")
    report.refresh_from_db()
    assert report.status == "done"
    with pytest.raises(AccessDenied):
        services.progress_report_update(
            user=make_caseworker(), report=report, status="blocked", narrative="x"
        )
    services.progress_report_review(user=make_user(Role.ADMIN), report=report)
    with pytest.raises(DomainError):
        services.progress_report_update(user=caseworker, report=report, status="blocked", narrative="x")
    report.refresh_from_db()
    assert report.status == "done"
