from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """Every email the site sends: one row per email, sent by a worker, swept when missed."""

    name = "outbox"
    verbose_name = _("送信メール")
