"""Template helpers shared by the pages of every app."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args) -> str:
    """The URL of `name`, or '' when that view does not exist (yet): apps written in parallel
    link to each other only once the target is installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


_FIELD_LABELS = None


@register.filter
def field_label(name: str) -> str:
    """The translated label of a person or arrival field named in a correction's history."""
    global _FIELD_LABELS
    if _FIELD_LABELS is None:
        from retorno.identity.models import Person
        from retorno.reception.models import RepatriationEvent

        labels = {}
        for model in (RepatriationEvent, Person):
            for f in model._meta.get_fields():
                if hasattr(f, "verbose_name"):
                    labels.setdefault(f.name, f.verbose_name)
                    labels.setdefault(f"{f.name}_id", f.verbose_name)
        _FIELD_LABELS = labels
    label = _FIELD_LABELS.get(name)
    return str(label) if label is not None else name


@register.filter
def as_percent(value) -> str:
    """0.8734 -> '87,3 %' (localised): a probability as people read it."""
    from django.template.defaultfilters import floatformat

    if value is None or value == "":
        return "—"
    return f"{floatformat(float(value) * 100, 1)} %"
