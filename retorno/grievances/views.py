"""The grievance queue (routed by category), a grievance's handling, and filing at the desk."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.accounts.permissions import Perm, requires
from retorno.core.errors import messages_add_form_errors, messages_add_service_errors
from retorno.core.exceptions import DomainError
from retorno.grievances import services
from retorno.grievances.config import category_label
from retorno.grievances.forms import GrievanceForm, StepForm
from retorno.grievances.selectors import grievances_visible


@requires(Perm.GRIEVANCE_HANDLE)
def queue(request):
    rows = grievances_visible(request.user)
    today = timezone.localdate()
    open_rows = [
        (g, category_label(g.category), g.answer_by < today)
        for g in rows.exclude(status__in=["answered", "closed"])[:200]
    ]
    return render(
        request,
        "grievances/queue.html",
        {
            "open_rows": open_rows,
            "done": rows.filter(status__in=["answered", "closed"]).order_by("-answered_at")[:50],
        },
    )


@requires(Perm.GRIEVANCE_HANDLE)
def detail(request, grievance_id: int):
    try:
        grievance = grievances_visible(request.user).get(pk=grievance_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "grievances/detail.html",
        {"g": grievance, "category": category_label(grievance.category), "form": StepForm()},
    )


@requires(Perm.GRIEVANCE_HANDLE)
@require_POST
def step(request, grievance_id: int):
    try:
        grievance = grievances_visible(request.user).get(pk=grievance_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    form = StepForm(request.POST)
    if not form.is_valid():
        messages_add_form_errors(request, form)
    else:
        try:
            services.grievance_step(user=request.user, grievance=grievance, **form.cleaned_data)
            messages.success(request, _("Queja actualizada."))
        except (ValidationError, DomainError) as exc:
            messages_add_service_errors(request, exc)
    return redirect("grievances:detail", grievance_id=grievance.pk)


@requires(Perm.GRIEVANCE_FILE)
def new(request):
    form = GrievanceForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                filed = services.grievance_file(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages_add_service_errors(request, exc)
            else:
                messages.success(request, _("Queja registrada con el folio %(code)s.") % {"code": filed.code})
                return redirect("grievances:new")
        else:
            messages_add_form_errors(request, form)
    return render(request, "grievances/new.html", {"form": form})
