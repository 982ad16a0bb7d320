"""The national id in the API: `national_id` in every country; in Mexico `curp` too, its older
name, still accepted and returned for existing clients."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from retorno.identity.national_ids import national_id_scheme

NATIONAL_ID_DESCRIPTION = (
    "The country's national identity number: CURP in Mexico, CUI in Guatemala, DUI in El "
    "Salvador, DNI in Honduras (spaces and hyphens allowed). A number that fails the country's "
    "check is a 400 naming this field."
)
CURP_DESCRIPTION = "Mexico only: the older name of `national_id` (same value); null in other countries."


def curp_allowed() -> bool:
    return national_id_scheme().code == "mx.curp"


def national_id_input(national_id: str | None, curp: str | None) -> tuple[str, str]:
    """(the number sent, the field the client sent it in). A `curp` outside Mexico, or both
    fields with different numbers, is a 400."""
    national_id, curp = (national_id or "").strip(), (curp or "").strip()
    if curp and not curp_allowed():
        raise ValidationError(
            {"curp": [_("Este país no usa CURP: envíe el número de identidad en «national_id».")]}
        )
    if national_id and curp and _compact(national_id) != _compact(curp):
        raise ValidationError({"national_id": [_("«national_id» y «curp» difieren: envíe uno solo.")]})
    return (national_id, "national_id") if national_id else (curp, "curp")


def national_id_output(value: str) -> dict:
    """The person's number under `national_id` and, in Mexico, under `curp` as well."""
    return {"national_id": value, "curp": value if curp_allowed() else None}


def _compact(value: str) -> str:
    return value.replace(" ", "").replace("-", "").upper()


@contextmanager
def errors_named(field: str) -> Iterator[None]:
    """Services name the national id's problems 'curp' (the model field); answer with the name
    the client used."""
    try:
        yield
    except ValidationError as exc:
        if field == "curp" or not hasattr(exc, "error_dict") or "curp" not in exc.error_dict:
            raise
        errors = exc.message_dict
        errors[field] = errors.pop("curp")
        raise ValidationError(errors) from exc
