from careers.models.advisors import Advisor, AdvisorAbsence, RoutingPool
from careers.models.base import Interest, Team
from careers.models.bookings import (
    AdvisorCalendar,
    AdvisorHoursException,
    AdvisorWeeklyHours,
    Booking,
    Weekday,
)
from careers.models.leads import Lead, LeadEvent, LeadNote
from careers.models.notifications import Notification

__all__ = [
    "Advisor",
    "AdvisorAbsence",
    "AdvisorCalendar",
    "AdvisorHoursException",
    "AdvisorWeeklyHours",
    "Booking",
    "Interest",
    "Lead",
    "LeadEvent",
    "LeadNote",
    "Notification",
    "RoutingPool",
    "Team",
    "Weekday",
]
