"""Bounded pagination for the API and the pages, and the one place list reads are audited.

Every list of personal data goes through here: the API's @paginate (settings point ninja's
default at `LimitOffset`; PageNumber for the endpoints that page by number) and the pages'
`page_of`. Both cap the page number, offset and size (a page number beyond a bigint used to
reach the database as an overflow, a 500), and both write one audit entry per page shown with
the ids of the records and of their persons (audit.services.audit_list_read).
"""

from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination, PageNumberPagination

from retorno.audit.services import audit_list_read

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 200
MAX_OFFSET = 10_000_000
DEFAULT_PAGE_SIZE = 50
# Pages count at most this many rows: an exact count of a national list is a scan of millions of
# rows on every page view. Beyond it the page says "more than" and asks to narrow the filters.
PAGE_COUNT_CAP = 10_000


def capped_count(objects, cap: int) -> tuple[int, bool]:
    """(count, more): the number of rows up to `cap`, and whether there are more. Counts at most
    cap + 1 rows (COUNT over a LIMIT subquery), so it stays fast on any volume."""
    if isinstance(objects, QuerySet):
        n = objects.order_by().values("pk")[: cap + 1].count()
    else:
        n = len(objects)
    return min(n, cap), n > cap


class CappedPaginator(Paginator):
    """A Paginator whose count stops at `cap` rows (`capped` tells it did).

    On a queryset it reads the ids of the first cap + 1 rows, in the list's order, once: their
    number is the count and a slice of them is the page, whose rows are then fetched by id. A
    count and an OFFSET page would each check the same rows against the user's scope (at 10M
    events that check is most of a page's time)."""

    capped = False

    def __init__(self, *args, cap: int = PAGE_COUNT_CAP, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def _ids(self) -> list | None:
        if not isinstance(self.object_list, QuerySet):
            return None
        # dict.fromkeys: a join in the ordering may repeat a row; keep its first place.
        return list(dict.fromkeys(self.object_list.values_list("pk", flat=True)[: self.cap + 1]))

    @cached_property
    def count(self) -> int:
        if self._ids is None:
            n, self.capped = capped_count(self.object_list, self.cap)
            return n
        self.capped = len(self._ids) > self.cap
        return min(len(self._ids), self.cap)

    def page(self, number):
        if self._ids is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        chunk = self._ids[bottom : bottom + self.per_page]
        rows = {obj.pk: obj for obj in self.object_list.order_by().filter(pk__in=chunk)}
        return self._get_page([rows[pk] for pk in chunk if pk in rows], number, self)


def _user_of(request):
    auth = getattr(request, "auth", None)
    return auth if auth is not None else getattr(request, "user", None)


def _query_of(params: dict) -> dict:
    """What the caller asked for (the operation's filters), for the audit entry."""
    query = {}
    for value in params.values():
        items = value.dict().items() if hasattr(value, "dict") else []
        query.update({k: str(v)[:120] for k, v in items if v not in (None, "")})
    return {"query": query} if query else {}


class PageNumber(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, page_size: int = DEFAULT_PAGE_SIZE, **kwargs):
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result[self.items_attribute] = items = list(result[self.items_attribute])
        audit_list_read(user=_user_of(request), objects=items, detail=_query_of(params))
        return result


class LimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result[self.items_attribute] = items = list(result[self.items_attribute])
        audit_list_read(user=_user_of(request), objects=items, detail=_query_of(params))
        return result


def page_of(
    request,
    objects,
    *,
    per_page: int = DEFAULT_PAGE_SIZE,
    param: str = "page",
    detail=None,
    count_cap: int = PAGE_COUNT_CAP,
) -> DjangoPage:
    """The requested page of `objects` for a page (any page number is answered: out of range
    gives the last page), audited as a list read when it holds personal data. Counts stop at
    `count_cap` rows (work queues use a lower cap: they say "more than", not how many)."""
    raw = request.GET.get(param, "1")
    number = int(raw) if raw.isdigit() and len(raw) <= 6 else 1
    page = CappedPaginator(objects, per_page, cap=count_cap).get_page(number)
    page.object_list = list(page.object_list)
    audit_list_read(user=request.user, objects=page.object_list, detail=detail)
    return page
