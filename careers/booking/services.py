"""Writes for booking: book, reschedule, cancel, mark a no-show, and send due reminders.

Locking follows routing's order (careers/services/pipeline/routing.py): the team's RoutingPool
row, then the lead, then its booking. A booking can change who holds the lead, so it is
a routing decision and takes the pool lock like one; that also serialises two candidates
racing for one advisor's slot. The database's own guard (migration 0006: an exclusion
constraint on PostgreSQL, a unique key elsewhere) still refuses a double booking that
some other path might attempt, and its IntegrityError becomes the same clear message.
"""

import uuid
from copy import copy
from dataclasses import replace
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.booking.calendar import Slot, earliest_start
from careers.booking.emails import (
    Occasion,
    booking_email_queue,
    booking_moved_email_queue,
    booking_request_email_queue,
)
from careers.booking.policy import decide_booking
from careers.booking.selectors import booking_notice, booking_policy_facts, booking_slots_for
from careers.business_days import TOKYO, business_hours, first_contact_due, previous_business_day
from careers.models import Advisor, Booking, Lead, LeadEvent
from careers.routing import Decision
from careers.selectors import lead_team
from careers.services.pipeline import (
    REASSIGNABLE_STATUSES,
    PipelineError,
    lead_reassign,
    routing_pool_lock,
)

# One free-text request per lead in this many minutes: a reload or a double tap sends one.
REQUEST_INTERVAL_MINUTES = 10
_REMINDER_FIELDS = {
    Occasion.DAY_BEFORE: "day_before_reminder_at",
    Occasion.HOUR_BEFORE: "hour_before_reminder_at",
}


class BookingError(ValidationError):
    """A refused booking change, with a message for the candidate."""


def _slot_unavailable() -> BookingError:
    return BookingError(
        _(
            "選択された日時は、ほかの方の予約が入ったか受付を終了したため、予約できませんでした。"
            "下の空き日時からもう一度お選びください。"
        ),
        code="slot_unavailable",
    )


def booking_change_deadline(booking: Booking) -> datetime:
    """Rescheduling and cancelling through the link close this long before the start."""
    return booking.starts_at - timedelta(hours=settings.CAREERS_BOOKING_CHANGE_CUTOFF_HOURS)


def _check_changeable(booking: Booking, now: datetime) -> None:
    if now >= booking_change_deadline(booking):
        raise BookingError(
            _(
                "面談の{hours}時間前を過ぎたため、この画面からは変更・キャンセルできません。"
                "お手数ですが、担当アドバイザーまたはお問い合わせ窓口までご連絡ください。"
            ).format(hours=settings.CAREERS_BOOKING_CHANGE_CUTOFF_HOURS),
            code="too_late",
        )


def _check_bookable(lead: Lead) -> None:
    if lead.status not in REASSIGNABLE_STATUSES:
        raise BookingError(
            _("このお申し込みは受付を終了しているため、面談を予約できません。"), code="closed"
        )


def _offered_slot(*, lead: Lead, starts_at: datetime, now: datetime, moving) -> Slot:
    if starts_at <= now:
        raise BookingError(_("過去の日時は選べません。"), code="past")
    if starts_at < earliest_start(now=now, notice=booking_notice()):
        raise BookingError(
            _("直前の日時は予約できません。{hours}営業時間以上先の日時をお選びください。").format(
                hours=settings.CAREERS_BOOKING_NOTICE_BUSINESS_HOURS
            ),
            code="too_soon",
        )
    slot = next(
        (
            slot
            for slot in booking_slots_for(lead=lead, now=now, moving=moving)
            if slot.starts_at == starts_at
        ),
        None,
    )
    if slot is None:
        raise _slot_unavailable()
    return slot


def booking_decide(*, lead: Lead, slot: Slot, now: datetime) -> Decision:
    """Who meets the candidate at `slot`: the routing policy over the advisors free then."""
    lead_facts, advisors, ruleset = booking_policy_facts(
        lead=lead, now=now, on=slot.starts_at.astimezone(TOKYO).date()
    )
    advisors = [replace(advisor, is_free=advisor.id in slot.advisor_ids) for advisor in advisors]
    return decide_booking(
        lead=lead_facts, advisors=advisors, ruleset=ruleset, local_now=timezone.localtime(now)
    )


def _reminder_times(starts_at: datetime, now: datetime) -> dict:
    # A reminder already due when the booking is made would only repeat its confirmation.
    opening = business_hours()[0]
    day_before = datetime.combine(
        previous_business_day(starts_at.astimezone(TOKYO).date()), opening, tzinfo=TOKYO
    )
    hour_before = starts_at - timedelta(hours=1)
    return {
        "day_before_reminder_at": day_before if day_before > now else None,
        "hour_before_reminder_at": hour_before if hour_before > now else None,
    }


def _new_uid() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "plusweb3"
    return f"booking-{uuid.uuid4()}@{domain}"


def _event(booking: Booking, kind: str, *, actor=None, **details) -> None:
    LeadEvent.objects.create(
        lead_id=booking.lead_id,
        kind=kind,
        actor=actor,
        details={
            "booking_id": booking.id,
            "starts_at": booking.starts_at.astimezone(TOKYO).isoformat(),
            "ends_at": booking.ends_at.astimezone(TOKYO).isoformat(),
            "meeting": booking.meeting,
            "advisor": {"id": booking.advisor.id, "name": booking.advisor.name},
            "sequence": booking.sequence,
            **details,
        },
    )


def _first_contact_due_set(lead: Lead, due: datetime) -> None:
    # The booked time is the first contact the advisor promised; the SLA runs against it.
    if lead.status == Lead.Status.ASSIGNED and lead.first_contacted_at is None:
        Lead.objects.filter(id=lead.id).update(
            first_contact_due_at=due, sla_reminded_at=None, sla_breached_at=None, sla_breach_count=0
        )


def booking_schedule(
    *, lead: Lead, starts_at: datetime, meeting: str, now: datetime | None = None
) -> Booking:
    """Book the lead's consultation at `starts_at`, or move its booked one there.

    1. Lock the team's routing pool, then the lead, then its booking (routing's order).
    2. Check the time is still offered to this lead: the slots, recomputed under the lock.
    3. Ask the routing policy which free advisor takes it (the lead's own first); another
       advisor gets the lead through lead_reassign with the reason 「予約」.
    4. Write the booking and its event, make the booked time the first-contact deadline,
       and queue the emails with the .ics (same UID, higher SEQUENCE on a change).
    Raises BookingError with a message for the candidate.
    """
    now = now or timezone.now()
    if meeting not in Booking.Meeting.values:
        raise BookingError(_("面談方法を選んでください。"), code="meeting")
    try:
        with transaction.atomic():
            routing_pool_lock(team=lead_team(kind=lead.kind))
            lead = Lead.objects.select_for_update().get(id=lead.id)
            _check_bookable(lead)
            live = (
                Booking.objects.select_for_update()
                .filter(lead=lead, status=Booking.Status.BOOKED)
                .first()
            )
            if live is not None:
                _check_changeable(live, now)
            slot = _offered_slot(lead=lead, starts_at=starts_at, now=now, moving=live)
            decision = booking_decide(lead=lead, slot=slot, now=now)
            if decision.advisor_id is None:
                raise _slot_unavailable()
            if decision.advisor_id != lead.advisor_id:
                lead_reassign(
                    lead=lead,
                    advisor=Advisor.objects.get(id=decision.advisor_id),
                    reason=_("予約") + f": {decision.why}",
                    now=now,
                )
            booking = _booking_write(
                lead=lead, live=live, slot=slot, meeting=meeting, decision=decision, now=now
            )
    except IntegrityError:
        raise _slot_unavailable() from None
    except PipelineError as error:
        raise BookingError(error.message, code="routing") from None
    return booking


def _booking_write(
    *, lead: Lead, live: Booking | None, slot: Slot, meeting: str, decision: Decision, now
) -> Booking:
    # The version the previous advisor's calendar holds, should the booking change hands.
    before = copy(live) if live is not None else None
    fields = {
        "advisor_id": decision.advisor_id,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "meeting": meeting,
        **_reminder_times(slot.starts_at, now),
    }
    if live is None:
        booking = Booking.objects.create(lead=lead, uid=_new_uid(), **fields)
        kind, occasion, previous = LeadEvent.Kind.BOOKED, Occasion.BOOKED, {}
    else:
        previous = {"previous_starts_at": live.starts_at.astimezone(TOKYO).isoformat()}
        for name, value in fields.items():
            setattr(live, name, value)
        live.sequence += 1
        live.save()
        booking = live
        kind, occasion = LeadEvent.Kind.BOOKING_RESCHEDULED, Occasion.RESCHEDULED
    booking = Booking.objects.select_related("lead", "advisor").get(id=booking.id)
    _event(booking, kind, decision=decision.as_record(), **previous)
    _first_contact_due_set(booking.lead, slot.starts_at)
    booking_email_queue(booking=booking, occasion=occasion)
    if before is not None and before.advisor_id != booking.advisor_id:
        before.sequence = booking.sequence
        booking_moved_email_queue(previous=before, booking=booking)
    return booking


def booking_cancel(*, lead: Lead, now: datetime | None = None) -> Booking:
    """Cancel the lead's booked consultation (until the cutoff); the candidate may book again."""
    now = now or timezone.now()
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(id=lead.id)
        booking = (
            Booking.objects.select_for_update()
            .filter(lead=lead, status=Booking.Status.BOOKED)
            .first()
        )
        if booking is None:
            raise BookingError(_("キャンセルできる予約はありません。"), code="no_booking")
        _check_changeable(booking, now)
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.sequence += 1
        booking.day_before_reminder_at = booking.hour_before_reminder_at = None
        booking.save()
        booking = Booking.objects.select_related("lead", "advisor").get(id=booking.id)
        _event(booking, LeadEvent.Kind.BOOKING_CANCELLED)
        # No time agreed any more: the advisor owes a call on the usual deadline.
        _first_contact_due_set(lead, first_contact_due(now))
        booking_email_queue(booking=booking, occasion=Occasion.CANCELLED)
    return booking


def booking_mark_no_show(*, booking: Booking, actor=None, now: datetime | None = None) -> Booking:
    """The candidate did not come: the booking says so and the advisor owes a call again."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update().select_related("lead", "advisor").get(id=booking.id)
        )
        if booking.status != Booking.Status.BOOKED or booking.starts_at > now:
            raise BookingError(
                _("開始時刻を過ぎた予約済みの面談だけを無断欠席にできます。"), code="not_started"
            )
        booking.status = Booking.Status.NO_SHOW
        booking.save(update_fields=["status", "updated_at"])
        _event(booking, LeadEvent.Kind.BOOKING_NO_SHOW, actor=actor)
        _first_contact_due_set(booking.lead, first_contact_due(now))
    return booking


def booking_reminders_send(*, now: datetime | None = None) -> int:
    """Queue every due reminder once; return how many were queued.

    Each is claimed by clearing its due time in a conditional UPDATE that also requires
    the booking to be live, so a second run, a second beat host or a cancellation in
    between queues nothing more.
    """
    now = now or timezone.now()
    queued = 0
    for occasion, field_name in _REMINDER_FIELDS.items():
        due = Booking.objects.filter(
            status=Booking.Status.BOOKED,
            starts_at__gt=now,
            lead__anonymized_at__isnull=True,
            **{f"{field_name}__lte": now},
        ).values_list("id", field_name)
        for booking_id, due_at in due:
            with transaction.atomic():
                claimed = Booking.objects.filter(
                    id=booking_id, status=Booking.Status.BOOKED, **{field_name: due_at}
                ).update(**{field_name: None})
                if claimed:
                    booking = Booking.objects.select_related("lead", "advisor").get(id=booking_id)
                    booking_email_queue(booking=booking, occasion=occasion)
                    queued += 1
    return queued


def booking_request_send(*, lead: Lead, message: str, now: datetime | None = None) -> LeadEvent:
    """「希望日時を連絡する」: the candidate's wish goes to the lead's advisor (or the managers)."""
    now = now or timezone.now()
    with transaction.atomic():
        lead = (
            Lead.objects.select_for_update(of=("self",)).select_related("advisor").get(id=lead.id)
        )
        recent = lead.events.filter(
            kind=LeadEvent.Kind.BOOKING_REQUESTED,
            created_at__gt=now - timedelta(minutes=REQUEST_INTERVAL_MINUTES),
        )
        if recent.exists():
            raise BookingError(
                _("ご希望は受け付け済みです。担当アドバイザーからのご連絡をお待ちください。"),
                code="requested",
            )
        event = LeadEvent.objects.create(
            lead=lead, kind=LeadEvent.Kind.BOOKING_REQUESTED, details={"message": message}
        )
        booking_request_email_queue(lead=lead, event=event)
    return event
