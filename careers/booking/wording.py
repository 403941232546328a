"""Which leads may book, and how the booking pages, emails and .ics name the meeting for each.

Candidates meet a career advisor; companies (the recruiters' inquiry) meet corporate
sales, whom routing gives their leads (careers.selectors.lead_team). Freelance
applicants apply to a project and are not offered a booking.
"""

from django.utils.translation import gettext_lazy as _

from careers.models import Lead

_WORDING = {
    Lead.Kind.CANDIDATE: {
        "service": _("無料キャリア相談"),
        "meeting": _("キャリア面談"),
        "staff": _("キャリアアドバイザー"),
    },
    Lead.Kind.COMPANY: {
        "service": _("採用支援サービス"),
        "meeting": _("採用のご相談"),
        "staff": _("法人営業の担当者"),
    },
}
BOOKABLE_KINDS = tuple(_WORDING)


def booking_offered(lead: Lead) -> bool:
    return lead.kind in BOOKABLE_KINDS


def booking_wording(lead: Lead) -> dict:
    """service (the eyebrow), meeting (the .ics summary), staff (who the lead meets)."""
    return _WORDING[lead.kind]
