from django.utils import translation

from retorno.audit.models import AuditEntry
from retorno.diagnosis.models import Priority


def test_same_spanish_word_keeps_its_meaning_in_english():
    # "Alta" is both a high priority and a record's creation; the project catalog wins over app
    # catalogs, so the audit meaning carries a context to avoid renaming the priority "Create".
    # (The catalogs are compiled by `make test` before pytest runs.)
    with translation.override("en"):
        assert str(Priority.HIGH.label) == "High"
        assert str(AuditEntry.Action.CREATE.label) == "Create"
