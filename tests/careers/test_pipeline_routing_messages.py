"""A lead's messages to the workers: the form rings routing alone, carrying the confirmation,
and routing rings one message for the confirmation and its own emails after its commit.

Real commits (transactional), so the doorbell's together() sees them as a worker would.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError

from careers.models import Lead
from careers.roles import MANAGER_GROUP
from careers.services.pipeline import ROUTE_LEAD_TASK
from careers.services.pipeline import routing as routing_service
from outbox.models import Email
from outbox.services import SEND_MANY_TASK, SEND_TASK
from tests.factories import AdvisorFactory, UserFactory, lead_submit

pytestmark = pytest.mark.django_db(transaction=True)


def _emails(lead: Lead) -> dict[str, Email]:
    return {email.kind: email for email in Email.objects.filter(lead=lead)}


def _submitted(doorbell_rings, **answers) -> tuple[Lead, Email]:
    """A lead through the form's service, and its confirmation; the one message it rang."""
    lead = lead_submit(**answers)
    confirmation = _emails(lead)["lead_confirmation"]
    assert doorbell_rings.pending == [(ROUTE_LEAD_TASK, (lead.id, [confirmation.id]))]
    return lead, confirmation


def test_an_assigned_lead_costs_two_messages_and_both_emails_go_out(doorbell_rings, mailoutbox):
    """Routing, then one email message: the candidate's confirmation and the advisor's email."""
    advisor = AdvisorFactory(email="advisor@example.com")
    lead, confirmation = _submitted(doorbell_rings)
    assert doorbell_rings.run_next() == ROUTE_LEAD_TASK
    assignment = _emails(lead)["lead_assigned"]
    assert doorbell_rings.pending == [(SEND_MANY_TASK, ([confirmation.id, assignment.id],))]
    assert doorbell_rings.run() == [SEND_MANY_TASK]
    assert [message.to for message in mailoutbox] == [["taro@example.com"], [advisor.email]]
    lead.refresh_from_db()
    assert (lead.status, lead.advisor) == (Lead.Status.ASSIGNED, advisor)
    assert {email.status for email in _emails(lead).values()} == {Email.Status.SENT}


def test_a_waiting_lead_gets_its_confirmation_with_the_managers_alert(doorbell_rings, mailoutbox):
    """Nobody can take it: the confirmation still goes, in the message of the alert."""
    manager = UserFactory(email="manager@example.com", is_staff=True)
    manager.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    lead, confirmation = _submitted(doorbell_rings)
    doorbell_rings.run_next()
    alert = _emails(lead)["lead_unassigned"]
    assert doorbell_rings.pending == [(SEND_MANY_TASK, ([confirmation.id, alert.id],))]
    doorbell_rings.run()
    assert sorted(message.to[0] for message in mailoutbox) == [manager.email, "taro@example.com"]
    lead.refresh_from_db()
    assert lead.status == Lead.Status.UNASSIGNED


def test_a_redelivered_routing_message_sends_nothing_twice(doorbell_rings, mailoutbox):
    """The second copy finds the lead routed: it rings the confirmation alone, already sent."""
    AdvisorFactory()
    _lead, confirmation = _submitted(doorbell_rings)
    message = doorbell_rings.pending[0]
    doorbell_rings.run()
    assert len(mailoutbox) == 2
    doorbell_rings.pending.append(message)
    doorbell_rings.run_next()
    assert doorbell_rings.pending == [(SEND_TASK, (confirmation.id,))]
    doorbell_rings.run()
    assert len(mailoutbox) == 2


def test_a_duplicate_lead_gets_its_own_confirmation(doorbell_rings, mailoutbox):
    AdvisorFactory()
    first, _confirmation = _submitted(doorbell_rings)
    doorbell_rings.run()
    mailoutbox.clear()
    again, confirmation = _submitted(doorbell_rings)
    assert again.duplicate_of == first
    doorbell_rings.run()
    assert ["taro@example.com"] in [message.to for message in mailoutbox]
    confirmation.refresh_from_db()
    assert confirmation.status == Email.Status.SENT


def test_routing_that_fails_sends_the_confirmation_before_its_retries(
    doorbell_rings, mailoutbox, monkeypatch
):
    """A database error mid-routing rolls routing back; the person hears from us anyway."""
    AdvisorFactory()
    lead, confirmation = _submitted(doorbell_rings)

    def lost_connection(**_arguments):
        raise OperationalError("the server closed the connection")

    monkeypatch.setattr(routing_service, "_decide", lost_connection)
    with pytest.raises(OperationalError):
        doorbell_rings.run_next()
    assert doorbell_rings.pending == [(SEND_TASK, (confirmation.id,))]
    doorbell_rings.run()
    assert [message.to for message in mailoutbox] == [["taro@example.com"]]
    lead.refresh_from_db()
    assert lead.status == Lead.Status.NEW  # the task's retry, or the sweep, routes it


def test_a_routing_message_from_before_the_deploy_routes_and_sends_the_assignment(
    doorbell_rings, mailoutbox
):
    """Messages queued by the old code carry the lead's id alone (their confirmation was
    rung apart); they still route the lead and ring only routing's own email."""
    advisor = AdvisorFactory(email="advisor@example.com")
    lead, _confirmation = _submitted(doorbell_rings)
    doorbell_rings.pending = [(ROUTE_LEAD_TASK, (lead.id,))]
    doorbell_rings.run_next()
    assert doorbell_rings.pending == [(SEND_TASK, (_emails(lead)["lead_assigned"].id,))]
    doorbell_rings.run()
    assert [message.to for message in mailoutbox] == [[advisor.email]]


def test_a_spam_lead_rings_nothing_and_gets_no_email(doorbell_rings):
    lead = lead_submit(spam_reasons=["honeypot"])
    assert doorbell_rings.pending == []
    assert not Email.objects.filter(lead=lead).exists()
