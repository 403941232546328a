"""Anonymise closed and spam leads older than LEAD_RETENTION_DAYS (the daily beat job, by hand)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from careers.services.personal_data import leads_purge_expired


class Command(BaseCommand):
    help = (
        "Anonymise closed and spam leads created more than LEAD_RETENTION_DAYS days ago. "
        "Counts and timestamps stay; names, contact details and messages go. Safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override LEAD_RETENTION_DAYS for this run (at least 1).",
        )

    def handle(self, *args, days=None, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1")
        retention_days = days or settings.LEAD_RETENTION_DAYS
        count = leads_purge_expired(retention_days=retention_days)
        self.stdout.write(
            f"Anonymised {count} closed or spam lead(s) older than {retention_days} days."
        )
