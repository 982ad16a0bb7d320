"""The worker sends the follow-up messages due every RETORNO_OUTREACH_EVERY_SECONDS (0: off)."""

from django.conf import settings

from retorno.portal.outreach import outreach_run

EVERY = max(60, settings.RETORNO_OUTREACH_EVERY_SECONDS or 10**9)


def run() -> None:
    if settings.RETORNO_OUTREACH_EVERY_SECONDS:
        outreach_run()
