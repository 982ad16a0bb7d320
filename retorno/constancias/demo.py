"""Demo constancias: one for each demo arrival at the demo desk's point, and one revoked and
superseded."""

from collections.abc import Callable

from retorno.accounts.models import User
from retorno.constancias.models import Constancia
from retorno.constancias.services import constancia_issue, constancia_revoke
from retorno.reception.models import RepatriationEvent
from retorno.reference.demo_pack import demo_desk

DEMO_LIMIT = 50
REVOKE_REASON = "Demostración: el nombre se capturó con un error y se corrigió."


def load(log: Callable[[str], None]) -> None:
    officer = User.objects.filter(username=demo_desk("officer")).first()
    supervisor = User.objects.filter(username=demo_desk("supervisor")).first()
    point = demo_desk("point")
    if officer is None or supervisor is None:
        log("  constancias: demo users missing, skipped")
        return
    events = RepatriationEvent.objects.filter(
        reception_point__code=point, constancias__isnull=True
    ).order_by("arrived_at")[:DEMO_LIMIT]
    issued = 0
    for event in events:
        constancia = constancia_issue(user=officer, event=event)
        issued += 1
        if not Constancia.objects.filter(reception_point__code=point, revoked_at__isnull=False).exists():
            constancia_revoke(user=supervisor, constancia=constancia, reason=REVOKE_REASON)
            constancia_issue(user=officer, event=event)
    log(f"  constancias: {issued} issued at {point}")
