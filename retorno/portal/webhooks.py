"""Twilio's webhooks: replies (STOP) and delivery receipts, checked with Twilio's request
signature (HMAC-SHA1 of the URL and the sorted form fields with the account's auth token, as
Twilio documents it; written here because the check is ten lines and the vendor's library would
bring its whole HTTP client)."""

import base64
import hashlib
import hmac

from django.conf import settings


def twilio_signature_valid(request) -> bool:
    token = settings.RETORNO_TWILIO_AUTH_TOKEN
    given = request.headers.get("X-Twilio-Signature", "")
    if not token or not given:
        return False
    url = settings.RETORNO_PUBLIC_URL.rstrip("/") + request.get_full_path()
    payload = url + "".join(f"{k}{v}" for k, v in sorted(request.POST.items()))
    expected = base64.b64encode(hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()).decode()
    return hmac.compare_digest(expected, given)


def twilio_signature(url: str, params: dict[str, str], token: str) -> str:
    """The signature Twilio would send (tests and local tools)."""
    payload = url + "".join(f"{k}{v}" for k, v in sorted(params.items()))
    return base64.b64encode(hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()).decode()
