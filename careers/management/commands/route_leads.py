"""Run the routing sweep and the outbox's sweep by hand: the jobs beat runs on its schedule."""

from django.core.management.base import BaseCommand

from careers.services.pipeline import routing_sweep
from outbox.services import email_sweep


class Command(BaseCommand):
    help = (
        "Route leads left `new` (lost messages) and retry `unassigned` ones, re-route the "
        "uncontacted leads of away advisors, re-send stuck emails. Safe to run at any time."
    )

    def handle(self, *args, **options):
        result = routing_sweep()
        self.stdout.write(
            f"{result.routed} leads routed, {result.released} re-routed from away advisors."
        )
        self.stdout.write(f"{email_sweep()} stuck emails sent again.")
