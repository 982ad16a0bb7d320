"""Reading persons, always through the user's scope."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Upper

from retorno.accounts.access import is_national, minors_only, points_in_scope, reads_personal_data
from retorno.accounts.models import User
from retorno.identity import names
from retorno.identity.models import Person


def person_list_visible(user: User) -> QuerySet[Person]:
    """Live (not merged-away) persons the user may read.

    Reception officers and supervisors: persons with an arrival at a point in their scope.
    Child-protection officers: the same, limited to arrivals as minors. Admins and national
    supervisors: everyone. Caseworkers reach persons only through referrals (referrals app);
    analysts never.
    """
    from retorno.reception.models import RepatriationEvent

    persons = Person.objects.filter(merged_into__isnull=True, blocked_at__isnull=True)
    if not reads_personal_data(user):
        return persons.none()
    if minors_only(user):
        events = RepatriationEvent.objects.filter(person=OuterRef("pk"), minor=True)
        if not is_national(user):
            events = events.filter(reception_point__in=points_in_scope(user))
        return persons.filter(Exists(events))
    if is_national(user):
        return persons
    points = points_in_scope(user)
    return persons.filter(
        Exists(RepatriationEvent.objects.filter(person=OuterRef("pk"), reception_point__in=points))
    )


def person_get_visible(user: User, person_id: int) -> Person:
    """The person if the user may read it; raises Person.DoesNotExist otherwise (a 404, so that
    other points' records are not even confirmed to exist)."""
    return person_list_visible(user).get(pk=person_id)


def person_search(user: User, *, text: str = "", birth_date=None, curp: str = "") -> QuerySet[Person]:
    """Visible persons whose names start with the typed words (accents and case ignored, RENAPO
    keys), or whose national id (CURP) starts with the text, optionally born on `birth_date`."""
    persons = person_list_visible(user)
    text = text.strip()[:120]
    words: list[str] = []
    if text:
        compact = text.replace(" ", "").replace("-", "").upper()
        # A CURP starts with four letters; the CUI, DUI and DNI are all digits.
        curp_like = compact[:4].isalpha() and any(ch.isdigit() for ch in compact)
        if len(compact) >= 4 and (curp_like or compact.isdigit()):
            persons = persons.filter(curp__startswith=compact)
        else:
            # MARIA/JOSE are not part of the RENAPO given-name key; with other words they add nothing.
            words = significant_words_of(text)
            for word in words:
                k = names.key(word)
                if not k:
                    continue
                persons = persons.filter(
                    Q(key_given__startswith=k)
                    | Q(key_first_surname__startswith=k)
                    | Q(key_second_surname__startswith=k)
                    | Q(given_names__icontains=word)
                )
    if curp.strip():
        persons = persons.filter(curp__startswith=curp.strip().upper()[:18])
    if birth_date:
        persons = persons.filter(birth_date=birth_date)
    keys = ("key_first_surname", "key_second_surname", "key_given")
    if birth_date or curp.strip() or len(words) > 1:
        # Several words or a birth date match few persons, spread over the alphabet: PostgreSQL would walk
        # the ordered index (person_search_order) from A looking for them (0.8 s at 5M persons).
        # The same order through an expression (the keys are upper-case already) makes it collect
        # the matches through the key indexes and sort those few instead (0.1 s).
        return persons.order_by(*(Upper(k) for k in keys), "pk")
    # One word (a common surname): reading the ordered index stops after one page.
    return persons.order_by(*keys, "pk")


def significant_words_of(text: str) -> list[str]:
    words = names.normalize(text).split()
    return [w for w in words if w not in names.SKIPPED_FIRST_GIVEN] or words
