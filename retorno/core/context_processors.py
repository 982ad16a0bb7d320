"""Navigation built from each app's AppConfig.nav, filtered by the user's role."""

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label in settings.RETORNO_APPS:
        config = apps.get_app_config(label.rsplit(".", 1)[1])
        for entry in getattr(config, "nav", []):
            title, url_name, roles = entry
            if roles and getattr(user, "role", None) not in roles and not user.is_superuser:
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"title": title, "url": url, "active": False})
    # Only the longest matching entry is current (/reception/ must not light up with /reception/events/).
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items}
