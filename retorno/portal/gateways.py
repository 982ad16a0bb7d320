"""Message gateways behind one interface: `gateway_for(channel).send(to, body)`.

- "console": development and the demo; the message is kept in the outbox only.
- "twilio": Twilio's Programmable Messaging REST API (SMS, and WhatsApp with "whatsapp:" numbers),
  called with the standard library's urllib (one form POST; no client library needed);
  RETORNO_TWILIO_API_BASE points tests at a local fake server.
- "smtp": Django's e-mail (EMAIL_HOST, EMAIL_PORT...), for the e-mail channel.
Which one serves each channel is a setting (RETORNO_SMS_GATEWAY, RETORNO_EMAIL_GATEWAY).
"""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from logging import getLogger

from django.conf import settings
from django.core.mail import EmailMessage

logger = getLogger("retorno.messages")


@dataclass(frozen=True)
class Sent:
    ok: bool
    ref: str = ""
    error: str = ""


class Gateway:
    name = "base"

    def send(self, to: str, body: str, *, subject: str = "") -> Sent:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleGateway(Gateway):
    """Development and demo: the message goes to the server's log and the outbox (admin)."""

    name = "console"

    def send(self, to: str, body: str, *, subject: str = "") -> Sent:
        # The text (a sign-in code...) reaches the log only on a development server.
        logger.warning(
            "console gateway: to %s: %s", to, body if settings.DEBUG else "(text withheld: DEBUG is off)"
        )
        return Sent(True, f"console-{uuid.uuid4().hex[:16]}")


class TwilioGateway(Gateway):
    name = "twilio"

    def send(self, to: str, body: str, *, subject: str = "") -> Sent:
        sid = settings.RETORNO_TWILIO_ACCOUNT_SID
        url = f"{settings.RETORNO_TWILIO_API_BASE.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
        credentials = base64.b64encode(f"{sid}:{settings.RETORNO_TWILIO_AUTH_TOKEN}".encode()).decode()
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(
                {"To": to, "From": settings.RETORNO_TWILIO_FROM, "Body": body}
            ).encode(),
            headers={"Authorization": f"Basic {credentials}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - a configured https URL
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return Sent(False, error=f"HTTP {exc.code}: {exc.read()[:250].decode('utf-8', 'replace')}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return Sent(False, error=str(exc)[:300])
        return Sent(True, str(answer.get("sid", ""))[:80])


class SmtpGateway(Gateway):
    name = "smtp"

    def send(self, to: str, body: str, *, subject: str = "") -> Sent:
        try:
            EmailMessage(subject or "Retorno", body, settings.DEFAULT_FROM_EMAIL, [to]).send()
        except Exception as exc:  # smtplib and socket raise many types; the outbox records it
            return Sent(False, error=str(exc)[:300])
        return Sent(True, "smtp")


GATEWAYS = {g.name: g for g in (ConsoleGateway, TwilioGateway, SmtpGateway)}


def gateway_for(channel: str) -> Gateway:
    name = settings.RETORNO_EMAIL_GATEWAY if channel == "email" else settings.RETORNO_SMS_GATEWAY
    return GATEWAYS[name]()
