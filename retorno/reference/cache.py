"""In-process snapshot of the small reference tables read on every registration.

States, reception points and document types change a few times a year (admin edits, a new
`load_reference`), but the registration hot path used to read them with three queries per
arrival. The snapshot is rebuilt after `TTL_SECONDS`, and at once in the process that saves or
deletes one of these rows (signals below); other processes see an admin edit within the TTL.
Callers must treat the returned objects as read-only: they are shared between threads.
"""

import threading
import time
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

from retorno.reference.models import DocumentType, ReceptionPoint, State

TTL_SECONDS = 60.0


@dataclass(frozen=True)
class ReferenceSnapshot:
    states_by_code: dict[str, State]
    states_by_id: dict[int, State]
    points_by_code: dict[str, ReceptionPoint]
    points_by_id: dict[int, ReceptionPoint]
    document_codes: frozenset[str]


_lock = threading.Lock()
_snapshot: ReferenceSnapshot | None = None
_loaded_at = 0.0


def reference_snapshot() -> ReferenceSnapshot:
    """The current snapshot, loaded from the database when missing or older than TTL_SECONDS."""
    global _snapshot, _loaded_at
    snapshot = _snapshot
    if snapshot is not None and time.monotonic() - _loaded_at < TTL_SECONDS:
        return snapshot
    with _lock:
        states = list(State.objects.all())
        points = list(ReceptionPoint.objects.select_related("state"))
        snapshot = ReferenceSnapshot(
            states_by_code={s.code: s for s in states},
            states_by_id={s.pk: s for s in states},
            points_by_code={p.code: p for p in points},
            points_by_id={p.pk: p for p in points},
            document_codes=frozenset(DocumentType.objects.values_list("code", flat=True)),
        )
        _snapshot, _loaded_at = snapshot, time.monotonic()
    return snapshot


def reference_cache_clear(**_kwargs) -> None:
    """Forget the snapshot (signal receiver; tests call it between databases)."""
    global _snapshot
    _snapshot = None


for _model in (State, ReceptionPoint, DocumentType):
    post_save.connect(reference_cache_clear, sender=_model, dispatch_uid=f"refcache-save-{_model.__name__}")
    post_delete.connect(
        reference_cache_clear, sender=_model, dispatch_uid=f"refcache-delete-{_model.__name__}"
    )
