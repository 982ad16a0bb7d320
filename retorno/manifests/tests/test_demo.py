import pytest
from django.core.management import call_command

from retorno.accounts import demo as accounts_demo
from retorno.manifests import demo
from retorno.manifests.models import Manifest

pytestmark = pytest.mark.django_db


def test_demo_manifest_has_pending_rows_one_bad_line_and_loads_once():
    call_command("load_reference")
    accounts_demo.load(lambda _: None)
    demo.load(lambda _: None)
    demo.load(lambda _: None)
    manifest = Manifest.objects.get()
    assert manifest.error_line_count == 1 and manifest.rows.filter(status="pending").count() == 3
    arrived = manifest.rows.get(status="arrived")
    assert arrived.event.constancias.filter(revoked_at__isnull=True).exists()
