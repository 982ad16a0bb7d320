"""The REST API: one NinjaAPI, one router per domain app, one OpenAPI 3 document at /api/docs."""

from ninja import NinjaAPI
from ninja.security import django_auth

from retorno.accounts.auth import ApiTokenAuth
from retorno.core.api_errors import install_exception_handlers
from retorno.core.hooks import app_modules

api = NinjaAPI(
    title="Retorno API",
    version="1",
    description=(
        "Reception and reintegration of returned migrants. Authenticate with "
        "`Authorization: Bearer <token>` (tokens are issued per user in the admin or with "
        '`retorno issue_token USER`). Errors are JSON `{"detail": ..., "errors": {...}}` '
        "in the language of `Accept-Language` (es by default)."
    ),
    auth=[ApiTokenAuth(), django_auth],
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)
install_exception_handlers(api)

# Each domain app owns its router in <app>/api.py; the order is the order of the docs.
for module in app_modules("api"):
    router = getattr(module, "router", None)
    if router is not None:
        app_label = module.__name__.split(".")[1]
        api.add_router(f"/{app_label}/", router, tags=[app_label])
