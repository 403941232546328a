"""The careers admin: leads, advisors and the outbox."""

from careers.admin.advisors import AdvisorAdmin
from careers.admin.leads import LeadAdmin, LeadEventAdmin
from careers.admin.notifications import NotificationAdmin

__all__ = ["AdvisorAdmin", "LeadAdmin", "LeadEventAdmin", "NotificationAdmin"]
