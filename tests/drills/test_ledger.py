"""The drills' ledger itself: its books balance only when every candidate saw a thank-you
page and every lead was stored, routed once and emailed once."""

from collections import Counter

import pytest

from tests.drills.ledger import CONFIRMATION_KIND, Ledger
from tests.support.loadgen import Submission


def submissions(*outcomes: str) -> list[Submission]:
    return [
        Submission(index=i, email=f"drill-{i:05d}@example.com", outcome=outcome)
        for i, outcome in enumerate(outcomes)
    ]


def ledger_of(
    sent: list[Submission], *, stored=None, tolerated=frozenset(), routed_twice=(), mailed=None
) -> Ledger:
    """What a drill's database and mailbox would say if the site stored, routed and emailed
    `stored` (by default: every submission that reached its thank-you page)."""
    stored = [s for s in sent if s.outcome == "thanks"] if stored is None else stored
    leads = {
        s.email: {"id": n, "email": s.email, "advisor_id": 1, "assigned_at": "2026-06-10"}
        for n, s in enumerate(stored, start=1)
    }
    lead_ids = [lead["id"] for lead in leads.values()]
    notifications = [
        {"id": n, "kind": CONFIRMATION_KIND, "status": "sent", "lead_id": n} for n in lead_ids
    ]
    return Ledger(
        submissions=sent,
        leads=leads,
        routed_events=Counter(lead_ids + list(routed_twice)),
        submitted_events=Counter(lead_ids),
        notifications=notifications,
        messages=[f"message {n}" for n in lead_ids] if mailed is None else mailed,
        tolerated=tolerated,
    )


def test_forty_thank_you_pages_stored_routed_and_emailed_once_are_settled():
    book = ledger_of(submissions(*["thanks"] * 40))
    assert book.problems() == []
    assert book.settled()
    line = book.line("example")
    assert "submitted 40 / thank-you pages 40 / stored 40 / routed 40 / emails 40" in line


@pytest.mark.parametrize(
    "outcome",
    [
        "refused",  # the connection failed
        "redirected",  # a 302 somewhere other than the thank-you page
        "status_301",
        "status_403",  # CSRF or a firewall
        "status_429",
        "error",  # a 500 on the POST
        "thanks_500",  # stored, but the thank-you page failed
        "thanks_lost",
        "unavailable",  # the friendly 503, where no drill tolerates it
        "unfriendly",
        "invalid",
        "pending",  # never answered at all
    ],
)
def test_a_ledger_of_forty_submissions_that_never_saw_a_thank_you_page_is_not_settled(outcome):
    """Zero leads stored, zero routed, zero emails and nothing pending: still a failure."""
    book = ledger_of(submissions(*[outcome] * 40))
    assert not book.settled()
    assert f"40 submissions ended as {outcome!r}, not a thank-you page" in book.problems()


def test_one_refused_submission_among_many_thank_you_pages_is_not_settled():
    book = ledger_of(submissions(*["thanks"] * 39, "status_403"))
    assert book.problems() == ["1 submissions ended as 'status_403', not a thank-you page"]


def test_the_friendly_503_where_tolerated_is_counted_reported_and_settled():
    sent = submissions(*["thanks"] * 30, *["unavailable"] * 8, *["thanks_unavailable"] * 2)
    # The two who met the outage on the thank-you page were stored: they were accepted.
    accepted = [s for s in sent if s.outcome.startswith("thanks")]
    book = ledger_of(
        sent, stored=accepted, tolerated=frozenset({"unavailable", "thanks_unavailable"})
    )
    assert book.settled()
    assert "other pages thanks_unavailable 2, unavailable 8" in book.line("database down")


def test_a_tolerated_503_whose_lead_was_stored_anyway_is_not_settled():
    sent = submissions("thanks", "unavailable")
    book = ledger_of(sent, stored=sent, tolerated=frozenset({"unavailable"}))
    assert not book.settled()
    assert any("not sent to a thank-you page" in problem for problem in book.problems())


def test_a_thank_you_page_without_a_stored_lead_is_not_settled():
    sent = submissions("thanks", "thanks", "thanks")
    book = ledger_of(sent, stored=sent[:2])
    assert book.problems() == [
        "1 thank-you pages without a stored lead: ['drill-00002@example.com']"
    ]


def test_a_lead_routed_twice_is_not_settled():
    book = ledger_of(submissions("thanks", "thanks"), routed_twice=[1])
    assert not book.settled()
    assert "1 extra routing decisions" in book.problems()
    assert "1 stored leads not routed exactly once" in book.problems()


def test_an_email_delivered_twice_or_never_is_not_settled():
    twice = ledger_of(
        submissions("thanks", "thanks"), mailed=["message 1", "message 1", "message 2"]
    )
    never = ledger_of(submissions("thanks", "thanks"), mailed=["message 1"])
    assert "1 emails delivered twice" in twice.problems()
    assert "1 messages delivered for 2 outbox rows" in never.problems()
    assert not twice.settled()
    assert not never.settled()
