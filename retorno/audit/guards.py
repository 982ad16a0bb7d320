"""Personal data is never deleted through the ORM.

A consent is the legal basis of a referral and is withdrawn, never deleted; persons, arrivals,
referrals, diagnoses... are corrected, merged or (past their retention period) anonymised, each
audited. A deletion reaching the ORM, from the admin, a shell or a bulk `.delete()`, is refused
here before anything is removed.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

MSG_NO_DELETE = _(
    "Los datos personales no se borran: se retiran (consentimientos), se corrigen o se anonimizan "
    "según el calendario de conservación, y todo queda en la bitácora."
)


def refuse_personal_data_deletion(sender, instance, **kwargs) -> None:
    if getattr(sender, "PERSONAL_DATA", False):
        raise PermissionDenied(MSG_NO_DELETE)
