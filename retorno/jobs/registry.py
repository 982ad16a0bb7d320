"""Kinds of background job. Each domain app declares its own in `<app>/jobs.py` with `@job_kind`,
so this app never imports the domain apps (they are found by module name, core.hooks)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from retorno.accounts.permissions import Perm


@dataclass
class Outcome:
    """What a finished job hands back: a file, a page to go to, and/or a one-line summary."""

    summary: str = ""
    url: str = ""
    file_name: str = ""
    content_type: str = ""
    data: bytes | None = None


# progress(done, total, step): the handler tells how far it got; cheap to call often.
Progress = Callable[[int, int, str], None]
Handler = Callable[..., Outcome]


@dataclass
class JobKind:
    name: str
    label: str
    permission: Perm
    handler: Handler = field(repr=False)


_KINDS: dict[str, JobKind] = {}
_loaded = False


def job_kind(name: str, *, label, permission: Perm) -> Callable[[Handler], Handler]:
    """Register `handler(job, progress) -> Outcome` as the job kind `name`. The user who asks
    for the job needs `permission`, both to start it and to read its result."""

    def decorate(handler: Handler) -> Handler:
        _KINDS[name] = JobKind(name=name, label=label, permission=permission, handler=handler)
        return handler

    return decorate


def kinds() -> dict[str, JobKind]:
    global _loaded
    if not _loaded:
        from retorno.core.hooks import app_modules

        app_modules("jobs")  # importing each <app>/jobs.py registers its kinds
        _loaded = True
    return _KINDS


def kind_of(name: str) -> JobKind:
    """The registered kind (KeyError for an unknown name)."""
    return kinds()[name]
