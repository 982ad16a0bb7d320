"""The linkage app's background job: linking every live person of the database with the batch
model and putting the likely duplicates in the review queue (nothing is merged)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from retorno.accounts.access import is_national
from retorno.accounts.permissions import Perm
from retorno.core.exceptions import AccessDenied
from retorno.jobs.registry import Outcome, job_kind
from retorno.linkage.services import review_pairs_from_batch

# The pipeline tells its stages as text; about this many (reading, blocking, scoring, clustering).
STAGES = 6


@job_kind(
    "linkage_run",
    label=gettext_lazy("Búsqueda de duplicados en toda la base"),
    permission=Perm.LINKAGE_REVIEW,
)
def link_database(job, progress) -> Outcome:
    if not is_national(job.requested_by):  # it reads every point's persons
        raise AccessDenied
    seen = [0]

    def stage(message: str) -> None:
        seen[0] += 1
        progress(min(seen[0], STAGES - 1), STAGES, message)

    created = review_pairs_from_batch(progress=stage)
    return Outcome(
        summary=ngettext(
            "%(n)s par nuevo o actualizado en la cola de revisión.",
            "%(n)s pares nuevos o actualizados en la cola de revisión.",
            created,
        )
        % {"n": created}
        if created
        else _("No se encontraron pares nuevos."),
        url=reverse("linkage:queue"),
    )
