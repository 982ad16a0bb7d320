import pytest
from django.core.management import call_command

from retorno.accounts import demo as accounts_demo
from retorno.constancias import demo
from retorno.constancias.models import Constancia
from retorno.reference.models import ReceptionPoint
from retorno.testing.factories import make_event, make_person

pytestmark = pytest.mark.django_db


def test_demo_issues_one_per_tijuana_event_with_one_revoked_and_is_idempotent():
    call_command("load_reference")
    point = ReceptionPoint.objects.get(code="TIJ")
    accounts_demo.load(lambda _: None)
    for name in ("Ana", "Luis", "Eva"):
        make_event(person=make_person(given_names=name), point=point)
    demo.load(lambda _: None)
    demo.load(lambda _: None)
    assert Constancia.objects.filter(revoked_at__isnull=True).count() == 3
    revoked = Constancia.objects.get(revoked_at__isnull=False)
    assert revoked.superseded_by is not None
