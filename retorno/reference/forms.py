"""Choices of reference data for the forms of every app."""

from django.utils.translation import gettext as _

from retorno.reference.country import country_label, national_id_name
from retorno.reference.models import State


def state_choices() -> list[tuple[str, str]]:
    """The states for a select, in the user's language, with an empty first choice."""
    return [("", "—")] + [(s.code, str(s)) for s in State.objects.order_by("name")]


def apply_country_labels(form) -> None:
    """Word the person fields of a form the country pack's way: the national id's name, the
    division ('Departamento de nacimiento') and the local phone. Mexico's wording stays the
    forms' own labels."""
    id_name = national_id_name()
    fields = form.fields
    if "curp" in fields and id_name != "CURP":
        if_known = getattr(form, "national_id_if_known", False)
        fields["curp"].label = _("%(id)s (si lo conoce)") % {"id": id_name} if if_known else id_name
    for name, key in (
        ("birth_state", "birth_division"),
        ("destination_state", "destination_division"),
        ("phone_mx", "local_phone"),
    ):
        if name in fields:
            fields[name].label = country_label(key, fields[name].label)
