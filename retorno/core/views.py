from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from retorno.accounts.access import PERSONAL_DATA_ROLES


@login_required
def home(request):
    """Tiles for the user's role; desk roles also see today's arrivals and pending minors."""
    context = {}
    user = request.user
    if user.is_admin_role or user.role in PERSONAL_DATA_ROLES:
        from retorno.reception.selectors import event_list_visible, unaccompanied_minors_worklist

        context["arrivals_today"] = (
            event_list_visible(user).filter(arrived_at__date=timezone.localdate()).count()
        )
        context["minors_pending"] = unaccompanied_minors_worklist(user).count()
    return render(request, "core/home.html", context)


def healthz(request):
    return JsonResponse({"status": "ok"})
