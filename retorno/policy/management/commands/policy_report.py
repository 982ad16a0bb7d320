from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from retorno.policy.periods import parse_period
from retorno.policy.report import build_report, render_docx, render_pdf


class Command(BaseCommand):
    help = "Write the policy progress report of a period (by Global Compact objective) as PDF or DOCX."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026, 2026-S1 or 2026-T3")
        parser.add_argument("--format", choices=["pdf", "docx"], default="pdf")
        parser.add_argument("--out", required=True, help="output file path")
        parser.add_argument("--language", choices=["es", "en"], default="es")

    def handle(self, *args, period, format, out, language, **options):
        try:
            reporting_period = parse_period(period)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        with translation.override(language):
            data = build_report(reporting_period)
            content = render_pdf(data) if format == "pdf" else render_docx(data)
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"Folder does not exist: {path.parent}")
        path.write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(
                f"{path} written ({len(content):,} bytes): {data.reports_total} progress reports on "
                f"{data.lines_reported} of {data.lines_total} lines, period {reporting_period.code}."
            )
        )
