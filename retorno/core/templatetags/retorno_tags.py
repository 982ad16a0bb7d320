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
