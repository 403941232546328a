from careers.models.advisors import Advisor, AdvisorAbsence, RoutingPool
from careers.models.base import Interest, Specialty, Team
from careers.models.bookings import (
    AdvisorCalendar,
    AdvisorHoursException,
    AdvisorWeeklyHours,
    Booking,
    Weekday,
)
from careers.models.leads import Lead, LeadEvent, LeadNote
from careers.models.rules import Condition, Method, Rule, RuleMember, RuleSet

__all__ = [
    "Advisor",
    "AdvisorAbsence",
    "AdvisorCalendar",
    "AdvisorHoursException",
    "AdvisorWeeklyHours",
    "Booking",
    "Condition",
    "Interest",
    "Lead",
    "LeadEvent",
    "LeadNote",
    "Method",
    "RoutingPool",
    "Rule",
    "RuleMember",
    "RuleSet",
    "Specialty",
    "Team",
    "Weekday",
]
