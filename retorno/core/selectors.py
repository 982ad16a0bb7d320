"""Home: the work queue of the signed-in user's role, each count linking to its list."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from retorno.accounts.permissions import Perm, can


@dataclass(frozen=True)
class QueueItem:
    key: str
    label: str
    count: int
    url: str
    urgent: bool = False


def work_queue(user) -> list[QueueItem]:
    """What waits for this user now, most urgent first; only what the role may open."""
    items: list[QueueItem] = []
    today = timezone.localdate().isoformat()
    if can(user, Perm.MINORS_WORKLIST):
        from retorno.reception.selectors import unaccompanied_minors_worklist

        n = unaccompanied_minors_worklist(user).count()
        items.append(
            QueueItem("minors", _("Menores no acompañados pendientes de entrega"), n, reverse("reception:minors"), n > 0)
        )
    if can(user, Perm.PERSON_READ):
        from retorno.reception.models import RepatriationEvent
        from retorno.reception.selectors import event_list_filtered

        n = event_list_filtered(user, status=RepatriationEvent.Status.OPEN, date_from=timezone.localdate()).count()
        url = reverse("reception:event_list") + "?" + urlencode({"status": "open", "date_from": today, "date_to": today})
        items.append(QueueItem("arrivals_open", _("Llegadas de hoy sin cerrar"), n, url))
    if can(user, Perm.REFERRAL_READ):
        from retorno.referrals.models import Status
        from retorno.referrals.selectors import referral_list_filtered

        waiting = referral_list_filtered(user, status=Status.SENT).count()
        label = (
            _("Canalizaciones recibidas por responder")
            if can(user, Perm.REFERRAL_RESPOND) and not user.is_admin_role
            else _("Canalizaciones enviadas sin respuesta")
        )
        items.append(QueueItem("referrals_waiting", label, waiting, reverse("referrals:inbox") + "?status=sent"))
        late = referral_list_filtered(user, overdue=True).count()
        items.append(
            QueueItem("referrals_overdue", _("Canalizaciones vencidas"), late, reverse("referrals:inbox") + "?overdue=1", late > 0)
        )
    if can(user, Perm.FOLLOWUP_USE):
        from retorno.followup.selectors import followup_list_overdue

        n = followup_list_overdue(user).count()
        items.append(QueueItem("followups_overdue", _("Seguimientos vencidos"), n, reverse("followup:dashboard"), n > 0))
    if can(user, Perm.ACCESS_REVIEW):
        from retorno.audit.selectors import access_reviews_visible

        n = access_reviews_visible(user).count()
        items.append(QueueItem("access_reviews", _("Accesos a otros puntos por revisar"), n, reverse("audit:access_reviews")))
    if can(user, Perm.LINKAGE_REVIEW):
        from retorno.linkage.selectors import review_pair_list_visible

        n = review_pair_list_visible(user).count()
        items.append(QueueItem("duplicates", _("Posibles duplicados por revisar"), n, reverse("linkage:queue")))
    return sorted(items, key=lambda i: (not i.urgent, -bool(i.count)))
