"""The careers admin: leads, advisors and the outbox."""

from careers.admin.advisors import AdvisorAdmin
from careers.admin.bookings import BookingAdmin
from careers.admin.leads import LeadAdmin, LeadEventAdmin
from careers.admin.notifications import NotificationAdmin

__all__ = ["AdvisorAdmin", "BookingAdmin", "LeadAdmin", "LeadEventAdmin", "NotificationAdmin"]
