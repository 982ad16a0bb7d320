"""Home: the work queue of the signed-in user's role, each count linking to its list."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from retorno.accounts.permissions import Perm, can
from retorno.core.pagination import capped_count

# Home counts stop here ("99+", as a phone's badge does): the queue says there is work, its list
# says how much. Each count checks the user's scope row by row, so a smaller cap is a faster home.
QUEUE_COUNT_CAP = 99


@dataclass(frozen=True)
class QueueItem:
    key: str
    label: str
    count: int
    url: str
    urgent: bool = False
    more: bool = False  # more than `count`


def _item(key: str, label, objects, url: str, *, urgent_when_any: bool = False) -> QueueItem:
    n, more = capped_count(objects, QUEUE_COUNT_CAP)
    return QueueItem(key, label, n, url, urgent=urgent_when_any and n > 0, more=more)


def work_queue(user) -> list[QueueItem]:
    """What waits for this user now, most urgent first; only what the role may open."""
    items: list[QueueItem] = []
    today = timezone.localdate().isoformat()
    if can(user, Perm.MINORS_WORKLIST):
        from retorno.reception.selectors import unaccompanied_minors_worklist

        items.append(
            _item(
                "minors",
                _("Menores no acompañados pendientes de entrega"),
                unaccompanied_minors_worklist(user),
                reverse("reception:minors"),
                urgent_when_any=True,
            )
        )
    if can(user, Perm.PERSON_READ):
        from retorno.reception.models import RepatriationEvent
        from retorno.reception.selectors import event_list_filtered

        events = event_list_filtered(
            user,
            status=RepatriationEvent.Status.OPEN,
            date_from=timezone.localdate(),
            date_to=timezone.localdate(),
        )
        url = (
            reverse("reception:event_list")
            + "?"
            + urlencode({"status": "open", "date_from": today, "date_to": today})
        )
        items.append(_item("arrivals_open", _("Llegadas de hoy sin cerrar"), events, url))
    if can(user, Perm.REFERRAL_READ):
        from retorno.referrals.models import Status
        from retorno.referrals.selectors import referral_list_filtered

        label = (
            _("Canalizaciones recibidas por responder")
            if can(user, Perm.REFERRAL_RESPOND) and not user.is_admin_role
            else _("Canalizaciones enviadas sin respuesta")
        )
        waiting = referral_list_filtered(user, status=Status.SENT)
        items.append(_item("referrals_waiting", label, waiting, reverse("referrals:inbox") + "?status=sent"))
        late = referral_list_filtered(user, overdue=True)
        url = reverse("referrals:inbox") + "?overdue=1"
        items.append(
            _item("referrals_overdue", _("Canalizaciones vencidas"), late, url, urgent_when_any=True)
        )
    if can(user, Perm.FOLLOWUP_USE):
        from retorno.followup.selectors import followup_list_overdue

        overdue = followup_list_overdue(user)
        url = reverse("followup:dashboard")
        items.append(
            _item("followups_overdue", _("Seguimientos vencidos"), overdue, url, urgent_when_any=True)
        )
    if can(user, Perm.ACCESS_REVIEW):
        from retorno.audit.selectors import access_reviews_visible

        reviews = access_reviews_visible(user)
        items.append(
            _item(
                "access_reviews",
                _("Accesos a otros puntos por revisar"),
                reviews,
                reverse("audit:access_reviews"),
            )
        )
    if can(user, Perm.LINKAGE_REVIEW):
        from retorno.linkage.selectors import review_pair_list_visible

        pairs = review_pair_list_visible(user)
        items.append(
            _item("duplicates", _("Posibles duplicados por revisar"), pairs, reverse("linkage:queue"))
        )
    return sorted(items, key=lambda i: (not i.urgent, -bool(i.count)))
