"""A year of leads in minutes: rows generated inside PostgreSQL, never sent over the wire.

`INSERT … SELECT … FROM generate_series` builds every row on the server, which is the
fastest bulk path there is (COPY still ships each row from the client). The leads are
spread over the year before now across the advisors of each team; all but a handful
are closed or placed, as in a real year, so the open ones are the few an advisor holds.
Each lead gets EVENTS_PER_LEAD events and one lead in NOTE_EVERY a note.
"""

from django.db import connection

EVENTS_PER_LEAD = 3
NOTE_EVERY = 10
# Open leads in the generated year: what the advisors hold today.
OPEN_LEADS = 14

_LEADS = """
WITH advisors AS (
    SELECT array_agg(id ORDER BY id) AS ids FROM careers_advisor WHERE team = 'career'
)
INSERT INTO careers_lead (
    created_at, updated_at, reference, kind, name, name_kana, email, phone, interest,
    current_job, experience, timing, contact_method, message, company_name, department,
    consent_version, consented_at, utm_source, utm_medium, utm_campaign, utm_term,
    utm_content, referrer, landing_path, ip_hash, user_agent, status, close_reason,
    assigned_at, first_contact_due_at, first_contacted_at, sla_breach_count, advisor_id,
    desired_rate, portfolio_url, skills
)
SELECT
    moment, moment, 'S' || lpad(n::text, 12, '0'), 'candidate',
    'スケール 太郎' || n, 'スケール タロウ', 'scale-' || n || '@example.com', '09000000000',
    (ARRAY['ai', 'web3', 'both'])[1 + n %% 3], 'エンジニア', '3_5', 'now', 'email',
    'スケール試験のご相談 ' || n, '', '', '1', moment, '', '', '', '', '', '', '/consultation/',
    '', '', CASE WHEN n %% 5 = 0 THEN 'placed' ELSE 'closed' END,
    CASE WHEN n %% 5 = 0 THEN '' ELSE 'lost' END,
    moment + interval '1 minute', moment + interval '1 day', moment + interval '2 hours', 0,
    advisors.ids[1 + n %% array_length(advisors.ids, 1)], '', '', ''
FROM advisors,
    LATERAL generate_series(%(first)s, %(last)s) AS n,
    LATERAL (SELECT now() - interval '365 days' * (1 - n::float / %(last)s)) AS at(moment)
"""

_REOPEN = """
UPDATE careers_lead SET status = 'contacted', close_reason = ''
WHERE id IN (SELECT id FROM careers_lead WHERE reference LIKE 'S%%'
             ORDER BY created_at DESC LIMIT %(count)s)
"""

_EVENTS = """
INSERT INTO careers_leadevent (kind, created_at, details, lead_id)
SELECT (ARRAY['submitted', 'routed', 'status_changed'])[k], lead.created_at
       + k * interval '1 hour', '{}'::jsonb, lead.id
FROM careers_lead AS lead, generate_series(1, %(events)s) AS k
WHERE lead.reference LIKE 'S%%' AND lead.id > %(after)s
"""

_NOTES = """
INSERT INTO careers_leadnote (body, created_at, lead_id)
SELECT '電話で状況を伺いました。', lead.created_at + interval '3 hours', lead.id
FROM careers_lead AS lead
WHERE lead.reference LIKE 'S%%' AND lead.id > %(after)s AND lead.id %% %(every)s = 0
"""


def generated_lead_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM careers_lead WHERE reference LIKE 'S%%'")
        return cursor.fetchone()[0]


def generate_leads(count: int) -> None:
    """Add generated leads (with events and notes) until there are `count`, then ANALYZE."""
    present = generated_lead_count()
    if present >= count:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM careers_lead")
        after = cursor.fetchone()[0]
        cursor.execute(_LEADS, {"first": present + 1, "last": count})
        # Only the newest OPEN_LEADS of all generated leads stay open.
        cursor.execute(
            "UPDATE careers_lead SET status = 'closed', close_reason = 'lost' "
            "WHERE reference LIKE 'S%%' AND status = 'contacted'"
        )
        cursor.execute(_REOPEN, {"count": OPEN_LEADS})
        cursor.execute(_EVENTS, {"events": EVENTS_PER_LEAD, "after": after})
        cursor.execute(_NOTES, {"every": NOTE_EVERY, "after": after})
        for table in ("careers_lead", "careers_leadevent", "careers_leadnote"):
            cursor.execute(f"ANALYZE {table}")
