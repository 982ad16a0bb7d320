"""Refuse requests whose text cannot be stored: NUL bytes and invalid Unicode.

PostgreSQL text cannot hold a NUL character and its driver cannot encode a lone UTF-16 surrogate,
so such input used to travel through the forms and the API and end as a 500 when it reached the
database (or the audit trail). It is refused here, once, before any view or audit entry reads it:
query string and path, and the bodies that carry text (form-encoded, multipart fields, JSON).
"""

import json
import re
from urllib.parse import unquote_to_bytes

from django.utils.translation import gettext_lazy as _

from retorno.core.errors import bad_request_response

# A JSON body may spell a NUL or a surrogate as an escape: \u0000, \ud800.
_JSON_BAD_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")

MSG_BAD_TEXT = _("La solicitud contiene caracteres no válidos (un byte nulo o texto que no es UTF-8).")


def _clean_text(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        return False
    return True


def _clean_urlencoded(raw: bytes) -> bool:
    data = unquote_to_bytes(raw.replace(b"+", b" "))
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _clean_json(raw: bytes) -> bool:
    if b"\x00" in raw:
        return False
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if _JSON_BAD_ESCAPE.search(raw):
        # An escaped surrogate pair (\ud83d\ude00, an emoji) is fine; check the decoded text.
        try:
            value = json.loads(raw)
        except ValueError:
            return True  # not JSON at all: the API answers that itself
        return _clean_value(value)
    return True


def _clean_value(value) -> bool:
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, dict):
        return all(_clean_text(str(k)) and _clean_value(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_clean_value(v) for v in value)
    return True


def request_text_is_clean(request) -> bool:
    """False when the path, the query string or a text body holds a NUL or invalid Unicode."""
    if not _clean_text(request.path_info):
        return False
    query = request.META.get("QUERY_STRING", "")
    if query and not _clean_urlencoded(query.encode("latin-1", errors="replace")):
        return False
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type == "application/x-www-form-urlencoded":
            return _clean_urlencoded(request.body)
        if content_type == "application/json" or content_type.endswith("+json"):
            return _clean_json(request.body)
        if content_type == "multipart/form-data":
            # Field values only: an uploaded file may hold any bytes. Read the body first so that it
            # stays readable for the API after the form is parsed (uploads are capped at a few MB).
            request.body  # noqa: B018
            return all(_clean_text(k) and _clean_text(v) for k, v in request.POST.items())
    return True


class RequestSanityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_text_is_clean(request):
            return bad_request_response(request, str(MSG_BAD_TEXT))
        return self.get_response(request)
