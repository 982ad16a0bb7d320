"""The manifests app's background job: importing an uploaded list (thousands of rows are
validated and matched line by line)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from retorno.accounts.permissions import Perm
from retorno.jobs.registry import Outcome, job_kind
from retorno.manifests.services import manifest_import
from retorno.reference.models import ReceptionPoint


@job_kind(
    "manifest_import", label=gettext_lazy("Importación de una lista de llegada"), permission=Perm.MANIFEST_USE
)
def import_list(job, progress) -> Outcome:
    manifest = manifest_import(
        user=job.requested_by,
        point=ReceptionPoint.objects.get(pk=job.params["point_id"]),
        content=bytes(job.input_data or b""),
        filename=job.input_name,
        title=job.params.get("title", ""),
        confirm_duplicate=bool(job.params.get("confirm_duplicate")),
        progress=progress,
    )
    rows = ngettext("%(n)s persona", "%(n)s personas", manifest.row_count) % {"n": manifest.row_count}
    bad = ngettext("%(n)s línea con errores", "%(n)s líneas con errores", manifest.error_line_count) % {
        "n": manifest.error_line_count
    }
    return Outcome(
        summary=_("Lista importada: %(rows)s; %(bad)s.") % {"rows": rows, "bad": bad},
        url=reverse("manifests:detail", args=[manifest.pk]),
    )
