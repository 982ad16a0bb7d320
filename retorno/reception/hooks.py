"""What reception publishes for the apps above it (follow-up, statistics...), so that it imports
none of them: they subscribe in their AppConfig.ready()."""

from django.dispatch import Signal

# Sent inside the registration's transaction, after the event is saved:
# sender=RepatriationEvent, event=<RepatriationEvent>, new_person=<bool>.
arrival_registered = Signal()
