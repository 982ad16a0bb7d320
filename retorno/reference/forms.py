"""Choices of reference data for the forms of every app."""

from retorno.reference.models import State


def state_choices() -> list[tuple[str, str]]:
    """The states for a select, in the user's language, with an empty first choice."""
    return [("", "—")] + [(s.code, str(s)) for s in State.objects.order_by("name")]
