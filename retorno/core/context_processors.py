"""Navigation built from each app's AppConfig.nav, and the permission table for templates.

An app lists (title, url name) pairs; an entry shows when the user may open the page it links
to: the view's own permission (accounts.permissions.requires) decides, so the menu and the
page can never disagree.
"""

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import gettext as _

from retorno.accounts.permissions import PermissionView, can
from retorno.reference.country import country_label, country_profile, national_id_name


def _may_open(user, url: str) -> bool:
    permission = getattr(resolve(url).func, "retorno_permission", None)
    return permission is None or can(user, permission)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "can": PermissionView(None)}
    items = []
    for label in settings.RETORNO_APPS:
        config = apps.get_app_config(label.rsplit(".", 1)[1])
        for title, url_name in getattr(config, "nav", []):
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            if _may_open(user, url):
                items.append({"title": title, "url": url, "active": False})
    # Only the longest matching entry is current (/reception/ must not light up with /reception/events/).
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items, "can": PermissionView(user)}


def country(request):
    """The country pack's words for the pages: the national id's name and the division labels."""
    return {
        "country": {
            "national_id": national_id_name(),
            "division": country_label("division", _("Entidad")),
            "birth_division": country_label("birth_division", _("Entidad de nacimiento")),
            "origin_division": country_label("origin_division", _("Entidad de origen")),
            "divisions": country_label("divisions", _("Entidades")),
            "local_phone": country_label("local_phone", _("Teléfono en México")),
            "nationals": country_label("nationals", _("personas mexicanas")),
            "child_protection": str(country_profile().get("child_protection_agency") or "DIF"),
        }
    }
