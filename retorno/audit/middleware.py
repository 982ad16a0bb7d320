from retorno.audit.context import AuditContext, current
from retorno.core.net import client_ip


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        token = current.set(AuditContext(ip=client_ip(request), path=request.path[:300], channel=channel))
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
