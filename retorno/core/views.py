from django.http import JsonResponse
from django.shortcuts import render

from retorno.accounts.permissions import Perm, open_to_public, requires
from retorno.core.selectors import work_queue


@requires(Perm.ACCOUNT_SELF)
def home(request):
    """The user's work queue (what waits for them, each count a link to its list) and their pages."""
    return render(request, "core/home.html", {"queue": work_queue(request.user)})


@open_to_public
def readyz(request):
    """Ready to serve: the database answers (load balancers and the process supervisor ask)."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready", never a 500 page
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ready", "database": "ok"})


@open_to_public
def healthz(request):
    return JsonResponse({"status": "ok"})
