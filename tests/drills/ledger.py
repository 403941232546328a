"""What the drill's database and mailbox say happened, set against what the candidates saw.

Read with plain SQL from the drill's own PostgreSQL cluster (the test process has no
Django connection to it), and from the file email backend's mailbox.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path

import psycopg

from tests.support.loadgen import Outcomes, Submission

# Django's file email backend writes each message followed by a line of 79 dashes.
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"
# careers.services.capture.lead_confirmation_queue: written with the lead, in its transaction.
CONFIRMATION_KIND = "lead_confirmation"


def mailbox(mail_dir: Path) -> list[str]:
    """A fingerprint (recipients, subject, text) of every complete message delivered."""
    fingerprints = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        chunks = path.read_bytes().split(MESSAGE_SEPARATOR)
        # The last chunk follows the last separator: empty, or a message cut off mid-write.
        for raw in chunks[:-1]:
            message = BytesParser(policy=policy.default).parsebytes(raw.strip(b"\n"))
            body = message.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            digest = hashlib.sha256(
                "\0".join([str(message["To"]), str(message["Subject"]), text]).encode()
            ).hexdigest()
            fingerprints.append(digest)
    return fingerprints


@dataclass
class Ledger:
    """One drill's books: every count must match every other, and every page must be a thanks.

    submitted = thank-you pages = stored = routed exactly once = emails sent exactly once.
    The only other pages a candidate may see are those named in `tolerated` (the friendly
    503 while the database is down); they are counted and reported, and a lead is stored
    exactly for the submissions that were redirected to their thank-you page.
    """

    submissions: list[Submission]
    leads: dict[str, dict]  # email -> lead row
    routed_events: Counter  # lead id -> ROUTED events
    submitted_events: Counter  # lead id -> SUBMITTED events
    notifications: list[dict]
    messages: list[str]
    tolerated: frozenset[str] = frozenset()
    extra: dict[str, object] = field(default_factory=dict)
    # When every stored lead was first seen routed (time.monotonic()); set by Site.settle.
    routed_at: float | None = None

    # What the candidates saw ----------------------------------------------------
    @property
    def submitted(self) -> int:
        return len(self.submissions)

    @property
    def outcomes(self) -> Outcomes:
        return Outcomes.of(self.submissions)

    @property
    def thanks(self) -> int:
        return self.outcomes["thanks"]

    @property
    def accepted_emails(self) -> set[str]:
        """Submissions answered with the redirect to their thank-you page, whatever that page
        then showed: exactly these must be stored."""
        return {item.email for item in self.submissions if item.outcome.startswith("thanks")}

    # What the system holds ------------------------------------------------------
    @property
    def stored(self) -> int:
        return len(self.leads)

    @property
    def routed(self) -> int:
        """Stored leads with an advisor and exactly one routing decision."""
        return sum(
            1
            for lead in self.leads.values()
            if lead["advisor_id"] is not None
            and lead["assigned_at"] is not None
            and self.routed_events[lead["id"]] == 1
        )

    @property
    def duplicate_routings(self) -> int:
        return sum(count - 1 for count in self.routed_events.values() if count > 1)

    @property
    def duplicate_messages(self) -> int:
        return sum(count - 1 for count in Counter(self.messages).values() if count > 1)

    @property
    def half_written(self) -> int:
        """Leads without exactly one SUBMITTED event or without exactly one confirmation."""
        confirmations = Counter(
            row["lead_id"] for row in self.notifications if row["kind"] == CONFIRMATION_KIND
        )
        return sum(
            1
            for lead in self.leads.values()
            if self.submitted_events[lead["id"]] != 1 or confirmations[lead["id"]] != 1
        )

    def caught_up(self) -> bool:
        """The site has finished the work it accepted: every stored lead routed, every email
        in the outbox sent and in the mailbox. Says nothing about what the candidates saw."""
        return (
            self.routed == self.stored
            and all(row["status"] == "sent" for row in self.notifications)
            and len(self.messages) >= len(self.notifications)
        )

    def settled(self) -> bool:
        """Every count matches every other and nothing else happened."""
        return not self.problems()

    def line(self, title: str) -> str:
        parts = [
            f"submitted {self.submitted}",
            f"thank-you pages {self.thanks}",
            f"stored {self.stored}",
            f"routed {self.routed}",
            f"emails {len(self.messages)} for {len(self.notifications)} outbox rows",
            f"duplicates {self.duplicate_routings + self.duplicate_messages}",
        ]
        others = {k: v for k, v in self.outcomes.counts.items() if k != "thanks"}
        if others:
            parts.append("other pages " + ", ".join(f"{k} {v}" for k, v in sorted(others.items())))
        parts += [f"{key} {value}" for key, value in self.extra.items()]
        return f"DRILL {title}: " + " / ".join(parts)

    def problems(self) -> list[str]:
        found = [
            f"{count} submissions ended as {outcome!r}, not a thank-you page"
            for outcome, count in sorted(self.outcomes.counts.items())
            if outcome != "thanks" and outcome not in self.tolerated
        ]
        accepted, stored = self.accepted_emails, set(self.leads)
        if missing := sorted(accepted - stored):
            found.append(f"{len(missing)} thank-you pages without a stored lead: {missing[:5]}")
        if unthanked := sorted(stored - accepted):
            found.append(
                f"{len(unthanked)} stored leads whose candidate was not sent to a thank-you "
                f"page: {unthanked[:5]}"
            )
        if self.routed != self.stored:
            found.append(f"{self.stored - self.routed} stored leads not routed exactly once")
        if self.duplicate_routings:
            found.append(f"{self.duplicate_routings} extra routing decisions")
        statuses = Counter(row["status"] for row in self.notifications)
        if set(statuses) - {"sent"}:
            found.append(f"outbox not all sent: {dict(statuses)}")
        if self.duplicate_messages:
            found.append(f"{self.duplicate_messages} emails delivered twice")
        if len(self.messages) != len(self.notifications):
            found.append(
                f"{len(self.messages)} messages delivered for {len(self.notifications)} outbox rows"
            )
        if self.extra.get("leads stored twice"):
            found.append(f"{self.extra['leads stored twice']} emails stored as two leads")
        if self.half_written:
            found.append(f"{self.half_written} leads half-written (event or email missing)")
        return found


def read_ledger(
    *,
    database_url: str,
    mail_dir: Path,
    tag: str,
    submissions: list[Submission],
    tolerated: frozenset[str] = frozenset(),
) -> Ledger:
    pattern = f"{tag}-%"
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as connection:
        cursor = connection.cursor(row_factory=psycopg.rows.dict_row)
        leads = cursor.execute(
            "SELECT id, email, status, advisor_id, assigned_at, created_at "
            "FROM careers_lead WHERE email LIKE %s",
            [pattern],
        ).fetchall()
        events = cursor.execute(
            "SELECT e.lead_id, e.kind FROM careers_leadevent e "
            "JOIN careers_lead l ON l.id = e.lead_id WHERE l.email LIKE %s",
            [pattern],
        ).fetchall()
        # Every row of the outbox: a drill's database holds nothing else.
        notifications = cursor.execute(
            "SELECT m.id, m.key, m.kind, m.status, CASE WHEN t.app_label = 'careers' "
            "AND t.model = 'lead' THEN m.object_id END AS lead_id FROM outbox_email m "
            "LEFT JOIN django_content_type t ON t.id = m.content_type_id"
        ).fetchall()
    duplicated_emails = [email for email, n in Counter(r["email"] for r in leads).items() if n > 1]
    ledger = Ledger(
        submissions=submissions,
        leads={row["email"]: row for row in leads},
        routed_events=Counter(row["lead_id"] for row in events if row["kind"] == "routed"),
        submitted_events=Counter(row["lead_id"] for row in events if row["kind"] == "submitted"),
        notifications=notifications,
        messages=mailbox(mail_dir),
        tolerated=tolerated,
    )
    if duplicated_emails:
        ledger.extra["leads stored twice"] = len(duplicated_emails)
    return ledger
