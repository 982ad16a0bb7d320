from retorno.accounts.models import Role
from retorno.linkage.models import ReviewPair
from retorno.testing.factories import make_event, make_person, make_point, make_user


def make_supervisor(point=None, **kw):
    return make_user(Role.SUPERVISOR, point=point, **kw)


def make_national_supervisor(**kw):
    return make_user(Role.SUPERVISOR, **kw)


def make_duplicate_pair(point=None, probability=0.8, **kw):
    """Two persons, each with an arrival at `point`, queued for review."""
    point = point or make_point()
    a = make_person(given_names="María Guadalupe", first_surname="Hernández", second_surname="López", sex="M")
    b = make_person(given_names="Lupe", first_surname="Hernandez", second_surname="", sex="M")
    make_event(a, point)
    make_event(b, point)
    pair = ReviewPair.objects.create(
        person_a=a, person_b=b, match_probability=probability, source=ReviewPair.Source.BATCH, **kw
    )
    return pair
