from retorno.audit.context import AuditContext, current


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        ip = forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")
        channel = "api" if request.path.startswith("/api/") else "web"
        token = current.set(AuditContext(ip=ip or None, path=request.path[:300], channel=channel))
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
