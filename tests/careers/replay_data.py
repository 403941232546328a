"""Generated lead histories for the replay and the migration-equivalence tests (plain data)."""

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from careers.routing import AdvisorFacts, LeadFacts
from careers.routing_replay import History, ReplayLead

JST = ZoneInfo("Asia/Tokyo")
START = datetime(2026, 3, 1, tzinfo=UTC)
INTERESTS = ("ai", "web3", "both")
TIMINGS = ("now", "3_months", "6_months", "exploring", "")


def replay_lead(
    lead_id, submitted_at, interest="web3", closes_at=None, duplicate_of_id=None, **facts
):
    attributes = {"interest": frozenset({interest})}
    attributes.update(
        {fact: frozenset({value}) if value else frozenset() for fact, value in facts.items()}
    )
    return ReplayLead(
        facts=LeadFacts(
            id=lead_id, interest=interest, duplicate_of_id=duplicate_of_id, attributes=attributes
        ),
        reference=f"PW-{lead_id:05d}",
        submitted_at=submitted_at,
        local_submitted_at=submitted_at.astimezone(JST),
        closes_at=closes_at,
    )


def generated_history(*, leads: int, advisors: int, seed: int) -> History:
    """A busy month: mixed specialties and capacities, pauses, absences, repeat candidates,
    and leads closing after a few days, so capacity both binds and frees up again."""
    rng = random.Random(seed)
    team = tuple(
        AdvisorFacts(
            id=advisor_id,
            name=f"アドバイザー{advisor_id}",
            specialty=INTERESTS[advisor_id % len(INTERESTS)],
            capacity=rng.randint(2, 12),
            open_leads=0,
            is_active=rng.random() > 0.1,
            is_accepting=rng.random() > 0.1,
        )
        for advisor_id in range(1, advisors + 1)
    )
    absences = {}
    for advisor in team:
        if rng.random() < 0.3:
            first = date(2026, 3, rng.randint(1, 25))
            absences[advisor.id] = ((first, first + timedelta(days=rng.randint(0, 5))),)
    rows = []
    at = START
    for lead_id in range(1, leads + 1):
        at += timedelta(minutes=rng.randint(1, 90))
        closes = at + timedelta(hours=rng.randint(2, 240)) if rng.random() < 0.7 else None
        duplicate = rng.randint(1, lead_id - 1) if lead_id > 1 and rng.random() < 0.1 else None
        rows.append(
            replay_lead(
                lead_id,
                at,
                interest=rng.choice(INTERESTS),
                closes_at=closes,
                duplicate_of_id=duplicate,
                timing=rng.choice(TIMINGS),
            )
        )
    return History(leads=tuple(rows), advisors=team, absences=absences)
