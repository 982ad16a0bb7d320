"""Demo manifest at the demo desk's point (Tijuana in Mexico): the sample list (a few pending people and one bad line), with the
first person confirmed as arrived and given a constancia."""

from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from retorno.accounts.models import User
from retorno.manifests.models import Manifest
from retorno.manifests.services import manifest_import, manifest_row_arrival_data, manifest_row_confirm
from retorno.reference.demo_pack import demo_desk, demo_pack
from retorno.reference.models import ReceptionPoint

DEMO_TITLE = "Demo: autobuses del día"
SAMPLE_DATE = "2026-11-24"  # the sample file's arrival date, moved to today for the demo


def load(log: Callable[[str], None]) -> None:
    sample = demo_pack().get("manifest_sample")
    officer = User.objects.filter(username=demo_desk("officer")).first()
    point = ReceptionPoint.objects.filter(code=demo_desk("point")).first()
    if not sample or officer is None or point is None:
        log("  manifests: no demo manifest in this pack, or demo user or point missing: skipped")
        return
    if Manifest.objects.filter(reception_point=point, title=DEMO_TITLE).exists():
        log("  manifests: demo manifest already loaded")
        return
    content = (settings.DATA_DIR / "manifests" / sample).read_text(encoding="utf-8")
    content = content.replace(SAMPLE_DATE, timezone.localdate().isoformat())
    manifest = manifest_import(
        user=officer, point=point, content=content.encode(), filename=sample, title=DEMO_TITLE
    )
    first = manifest.rows.order_by("line_number").first()
    event = manifest_row_confirm(user=officer, row=first, data=manifest_row_arrival_data(first))
    from retorno.constancias.services import constancia_issue

    constancia_issue(user=officer, event=event)
    log(
        f"  manifests: {manifest.row_count} expected arrivals at {point.code} "
        f"({manifest.error_line_count} bad line reported), 1 confirmed"
    )
