"""Load the demo content of every app (base/demo/), idempotently."""

from django.core.management.base import BaseCommand
from django.db import transaction

from base.demo import LOADERS


class Command(BaseCommand):
    help = "Load demo categories, articles, CTA, advisors and leads. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        for name, load in LOADERS:
            self.stdout.write(f"{name}: {load()}")
