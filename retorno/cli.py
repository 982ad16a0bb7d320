"""`retorno`: the operators' command-line entry point.

It is Django's management command runner with Retorno's settings, plus a short help that lists the
operator commands first (Django's own commands stay reachable: `retorno migrate`, `retorno shell`...).
"""

import os
import sys

OPERATOR_COMMANDS = [
    ("setup", "migrate, compile translations, load reference and demo data"),
    ("serve", "serve the web app and API on http://127.0.0.1:8000 (--with-worker: and the worker)"),
    ("worker", "run the background task worker (reports, refreshes, imports; seals the audit chain)"),
    ("load_reference", "load reference data files (points, states, catalogs) idempotently"),
    ("load_demo", "load demo users and cases"),
    ("issue_token", "issue an API token for a user"),
    ("unlock", "lift a login lockout of an account or a network address"),
    ("audit", "seal the audit trail's hash chain, or verify it (names the first broken link)"),
    ("backup", "back up the database to a file (pg_dump, or SQLite's online backup)"),
    ("import_manifest", "import an arrival manifest (CSV/XLSX) for a reception point"),
    ("link", "batch identity linkage of a historical CSV export (Splink)"),
    ("generate_returnees", "synthetic returnee events with ground truth (tests, benchmarks)"),
    ("directory", "import/export the service directory as an HSDS 3.0 CSV datapackage"),
    ("employment", "import/export vacancies as schema.org JobPosting JSON-LD"),
    ("send_followup_messages", "invite due follow-ups by message to the self-completed survey (--dry-run)"),
    ("schedule_followups", "create missing follow-up contacts for arrivals"),
    ("refresh_statistics", "rebuild the statistics pre-aggregates"),
    ("bulletin", "compute the monthly statistical bulletin"),
    ("policy_report", "PEM / Global Compact progress report for a period (PDF or DOCX)"),
]


def _help() -> str:
    width = max(len(name) for name, _ in OPERATOR_COMMANDS)
    lines = ["usage: retorno <command> [options]", "", "Operator commands:"]
    lines += [f"  {name.ljust(width)}  {text}" for name, text in OPERATOR_COMMANDS]
    lines += [
        "",
        "`retorno <command> --help` explains one command;",
        "`retorno help --all` lists every command, Django's included.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(_help())
        return
    if argv[1:3] == ["help", "--all"]:
        argv = [argv[0], "help"]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
