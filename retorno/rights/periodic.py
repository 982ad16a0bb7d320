"""The worker reminds supervisors of data-rights requests near their deadline, hourly."""

from retorno.rights.services import deadline_reminders

EVERY = 3600


def run() -> None:
    deadline_reminders()
