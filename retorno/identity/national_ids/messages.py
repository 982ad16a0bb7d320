"""User-facing messages about the deployment's national id, in the user's language.

Mexico keeps its CURP wording (existing users and tests know it); other schemes get the same
messages with the number's name, length and an example filled in.
"""

from django.utils.translation import gettext as _

from retorno.identity.national_ids import national_id_scheme
from retorno.reference.country import national_id_name


def _mx_invalid() -> dict[str, str]:
    return {
        "length": _("La CURP debe tener 18 caracteres."),
        "format": _("La CURP no tiene el formato correcto (4 letras, 6 dígitos, 6 letras, 2 caracteres)."),
        "component": _("La CURP contiene una fecha, sexo o entidad no válidos."),
        "checksum": _("El dígito verificador de la CURP no corresponde; revise la captura."),
    }


def national_id_invalid(reason: str) -> str:
    """Why a typed number was refused ('length', 'format', 'component', 'checksum')."""
    scheme = national_id_scheme()
    if scheme.code == "mx.curp":
        return _mx_invalid()[reason]
    values = {"name": national_id_name(), "length": scheme.length, "example": scheme.example}
    messages = {
        "length": _("El %(name)s debe tener %(length)s dígitos."),
        "format": _("El %(name)s solo lleva dígitos (por ejemplo %(example)s)."),
        "component": _(
            "El %(name)s contiene un departamento, municipio o año que no existe; revise la captura."
        ),
        "checksum": _("El dígito verificador del %(name)s no corresponde; revise la captura."),
    }
    return messages[reason] % values


def national_id_taken(*, suggest_match: bool = False) -> str:
    """The number already belongs to another live person."""
    scheme = national_id_scheme()
    if scheme.code == "mx.curp":
        if suggest_match:
            return _("Esta CURP ya pertenece a otra persona registrada; use la coincidencia sugerida.")
        return _("Esta CURP ya pertenece a otra persona registrada.")
    if suggest_match:
        return _(
            "Este %(name)s ya pertenece a otra persona registrada; use la coincidencia sugerida."
        ) % {"name": national_id_name()}
    return _("Este %(name)s ya pertenece a otra persona registrada.") % {"name": national_id_name()}


def national_id_bad() -> str:
    scheme = national_id_scheme()
    if scheme.code == "mx.curp":
        return _("La CURP no es válida; revise la captura.")
    return _("El %(name)s no es válido; revise la captura.") % {"name": national_id_name()}
