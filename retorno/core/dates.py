"""Days of the deployment's time zone as instants (filters on indexed datetime columns)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def local_day_start(day: date) -> datetime:
    """Midnight of `day` in the deployment's time zone, as an aware instant."""
    return timezone.make_aware(datetime.combine(day, time.min))


def local_days_range(first: date, last: date) -> tuple[datetime, datetime]:
    """[midnight of `first`, midnight after `last`): the instants of the inclusive day span."""
    return local_day_start(first), local_day_start(last + timedelta(days=1))
