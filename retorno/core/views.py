from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from retorno.accounts.access import reads_personal_data
from retorno.accounts.permissions import Perm, open_to_public, requires


@requires(Perm.ACCOUNT_SELF)
def home(request):
    """Tiles for the user's role; desk roles also see today's arrivals and pending minors."""
    context = {}
    user = request.user
    if reads_personal_data(user):
        from retorno.reception.selectors import event_list_visible, unaccompanied_minors_worklist

        context["arrivals_today"] = (
            event_list_visible(user).filter(arrived_at__date=timezone.localdate()).count()
        )
        context["minors_pending"] = unaccompanied_minors_worklist(user).count()
    return render(request, "core/home.html", context)


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
