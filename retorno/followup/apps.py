from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "retorno.followup"
    verbose_name = _("Seguimiento")
    # (title, url name): shown to whoever may open the page (accounts.permissions)
    nav: list = [
        (_("Seguimiento"), "followup:dashboard"),
    ]

    def ready(self):
        # Seguimiento starts with the arrival: reception publishes it, follow-up schedules.
        from retorno.followup.services import schedule_on_arrival
        from retorno.reception.hooks import arrival_registered

        arrival_registered.connect(schedule_on_arrival, dispatch_uid="followup-schedule-on-arrival")
