"""Anonymise leads past their state's retention period (the daily beat job, by hand)."""

from django.core.management.base import BaseCommand, CommandError

from careers.services.personal_data import leads_purge_expired


class Command(BaseCommand):
    help = (
        "Anonymise leads idle for longer than their state's LEAD_RETENTION_*_DAYS. "
        "Counts and timestamps stay; names, contact details and messages go. Safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Use this one period for every state in this run (at least 1).",
        )

    def handle(self, *args, days=None, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1")
        count = leads_purge_expired(retention_days=days)
        self.stdout.write(f"Anonymised {count} lead(s) past their retention period.")
