"""The careers admin: leads and their events, advisors and the routing rules."""

from careers.admin.advisors import AdvisorAdmin
from careers.admin.bookings import BookingAdmin
from careers.admin.events import LeadEventAdmin
from careers.admin.leads import LeadAdmin
from careers.admin.rules import RuleAdmin, RuleSetAdmin

__all__ = [
    "AdvisorAdmin",
    "BookingAdmin",
    "LeadAdmin",
    "LeadEventAdmin",
    "RuleAdmin",
    "RuleSetAdmin",
]
