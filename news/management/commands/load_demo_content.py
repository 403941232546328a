"""Load the demo content of every app that has a `demo` module, idempotently."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Load demo categories, articles, CTA, advisors and leads. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        # Apps load in INSTALLED_APPS order, so news exists before careers links leads to it.
        for app_config in apps.get_app_configs():
            if module_has_submodule(app_config.module, "demo"):
                demo = import_module(f"{app_config.name}.demo")
                summary = demo.load()
                self.stdout.write(f"{app_config.label}: {summary}")
