"""Run the routing sweep by hand: the same job beat runs every 30 seconds."""

from django.core.management.base import BaseCommand

from careers.services.pipeline import routing_sweep


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
        if result.emails is not None:
            self.stdout.write(f"{result.emails} stuck emails sent again.")
