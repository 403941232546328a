"""How long a lead keeps its personal data, per state: one definition for the purge and the
privacy page, read from settings (LEAD_RETENTION_*_DAYS).

Each period counts from the lead's last activity (`updated_at`): a lead closed after two
years of work keeps its data as long as one closed on its first day.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from careers.models import Lead

Status = Lead.Status
OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.CONTACTED, Status.INTERVIEWING)


@dataclass(frozen=True)
class RetentionPeriod:
    label: str
    statuses: tuple[str, ...]
    days: int


def retention_periods() -> list[RetentionPeriod]:
    """Every lead state belongs to exactly one period."""
    return [
        RetentionPeriod(_("成約したご相談"), (Status.PLACED,), settings.LEAD_RETENTION_PLACED_DAYS),
        RetentionPeriod(_("終了したご相談"), (Status.CLOSED,), settings.LEAD_RETENTION_DAYS),
        RetentionPeriod(
            _("担当者が決まらなかったご相談"),
            (Status.UNASSIGNED,),
            settings.LEAD_RETENTION_UNASSIGNED_DAYS,
        ),
        RetentionPeriod(
            _("やり取りが途絶えたご相談(対応中のまま)"),
            OPEN_STATUSES,
            settings.LEAD_RETENTION_OPEN_DAYS,
        ),
        RetentionPeriod(_("不正な送信"), (Status.SPAM,), settings.LEAD_RETENTION_SPAM_DAYS),
    ]
