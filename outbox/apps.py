from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """Every email the site sends: one row per email, sent by a worker, swept when missed."""

    name = "outbox"
    verbose_name = _("送信メール")

    def ready(self):
        # An erasure (core.personal_data) also cleans other emails that quote the person.
        from core.personal_data import personal_data_trace_register
        from outbox.erasure import emails_scrub

        personal_data_trace_register("outbox", emails_scrub)
