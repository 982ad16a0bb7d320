"""The client's address, read safely.

X-Forwarded-For is a header anyone can send. It is believed only when the request comes from a
proxy listed in RETORNO_TRUSTED_PROXIES, and then the client is the right-most address in it that
is not itself a trusted proxy (the left-most entries were written by the client). Anything that
is not an IP address is ignored, so a forged header can neither crash the audit trail nor pick
the address that login lockouts count.
"""

import ipaddress

from django.conf import settings


def _ip(value: str) -> str | None:
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.5:443
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _trusted(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in settings.RETORNO_TRUSTED_PROXIES)


def client_ip(request) -> str | None:
    """The client's IP address as text, or None when the socket address itself is unusable."""
    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    if remote is None or not settings.RETORNO_TRUSTED_PROXIES or not _trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _ip(hop)
        if address is None:
            return remote  # a malformed chain: trust nothing beyond our own proxy
        if not _trusted(address):
            return address
    return remote
