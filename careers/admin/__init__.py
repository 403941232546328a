"""The careers admin: leads, advisors and the outbox, plus the throttled admin login."""

from django.contrib import admin

from careers.admin.advisors import AdvisorAdmin
from careers.admin.leads import LeadAdmin, LeadEventAdmin
from careers.admin.login import ThrottledAdminLoginForm
from careers.admin.notifications import NotificationAdmin

# The default site's login is the only way into the admin, so the lockout guards all of it.
admin.site.login_form = ThrottledAdminLoginForm

__all__ = ["AdvisorAdmin", "LeadAdmin", "LeadEventAdmin", "NotificationAdmin"]
