"""The REST API: one NinjaAPI, one router per domain app, one OpenAPI 3 document at /api/docs."""

from csp.decorators import csp_update
from ninja import NinjaAPI

from retorno.accounts.auth import ApiTokenAuth, TokenRateThrottle, VerifiedSessionAuth
from retorno.core.api_errors import ObjectBodyParser, install_exception_handlers, install_operation_policies
from retorno.core.hooks import app_modules

api = NinjaAPI(
    title="Retorno API",
    version="1",
    description=(
        "Reception and reintegration of returned migrants. Authenticate with "
        "`Authorization: Bearer <token>` (issued on the page /accounts/tokens/, by an administrator, "
        "or with `retorno issue_token USER`). Tokens expire, and each is rate limited: 429 with "
        '`Retry-After`. Errors are JSON `{"detail": ..., "errors": {...}}` in the language of '
        "`Accept-Language` (es by default). Times carry their UTC offset. "
        "`POST /api/reception/events` honours an `Idempotency-Key` header."
    ),
    auth=[ApiTokenAuth(), VerifiedSessionAuth()],
    throttle=[TokenRateThrottle()],
    docs_url="/docs",
    # Swagger UI styles itself inline; only its page gets that allowance.
    docs_decorator=csp_update({"style-src": ["'unsafe-inline'"]}),
    openapi_url="/openapi.json",
    urls_namespace="api",
    parser=ObjectBodyParser(),
)
install_exception_handlers(api)

# Each domain app owns its router in <app>/api.py; the order is the order of the docs.
for module in app_modules("api"):
    router = getattr(module, "router", None)
    if router is not None:
        app_label = module.__name__.split(".")[1]
        api.add_router(f"/{app_label}/", router, tags=[app_label])

# Every operation checks its permission with authentication and documents its error answers.
install_operation_policies(api)
