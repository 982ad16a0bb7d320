"""The directory's background job: importing an Open Referral HSDS package."""

import io

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.accounts.permissions import Perm
from retorno.directory import hsds
from retorno.jobs.registry import Outcome, job_kind


@job_kind(
    "hsds_import", label=gettext_lazy("Importación del directorio (HSDS)"), permission=Perm.DIRECTORY_MANAGE
)
def import_package(job, progress) -> Outcome:
    progress(0, 1, _("Leyendo el paquete"))
    report = hsds.import_zip(user=job.requested_by, fileobj=io.BytesIO(bytes(job.input_data or b"")))
    lines = [
        _("Directorio importado: %(summary)s") % {"summary": report.summary()},
        *map(str, report.warnings),
    ]
    return Outcome(summary="\n".join(lines), url=reverse("directory:index"))
