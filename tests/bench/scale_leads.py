"""Two years of leads in minutes, built inside PostgreSQL from `generate_series`.

`INSERT … SELECT` makes every row on the server, which beats COPY here (COPY still ships each
row from the client). Only the columns that vary are written as SQL; every other column gets
the model field's own default, read from the model, so a field added later needs no change
here. All but OPEN_LEADS of the leads are closed or placed, spread over two years across the
career advisors; the open ones are the newest, held by those advisors as today's work.
Each lead gets EVENTS_PER_LEAD events, and one lead in NOTE_EVERY a note. The tables are then
vacuumed and analysed, as autovacuum keeps them.
"""

from django.db import connection

REFERENCE_PREFIX = "S"
EVENTS_PER_LEAD = 3
NOTE_EVERY = 10
OPEN_LEADS = 30
DAYS = 730

# Per generated lead `n` (1…last) at `moment`; `ids` are the career advisors' ids.
_LEAD_COLUMNS = {
    "created_at": "moment",
    "updated_at": "moment",
    "reference": "'S' || lpad(n::text, 12, '0')",
    "name": "'スケール 太郎' || n",
    "name_kana": "'スケール タロウ'",
    "email": "'scale-' || n || '@example.com'",
    "phone": "'090' || lpad((n %% 100000000)::text, 8, '0')",
    "interest": "(ARRAY['ai', 'web3', 'both'])[1 + n %% 3]",
    "message": "'スケール試験のご相談 ' || n",
    "consented_at": "moment",
    "landing_path": "'/consultation/'",
    "status": "CASE WHEN n %% 5 = 0 THEN 'placed' ELSE 'closed' END",
    "close_reason": "CASE WHEN n %% 5 = 0 THEN '' ELSE 'lost' END",
    "assigned_at": "moment + interval '1 minute'",
    "first_contact_due_at": "moment + interval '1 day'",
    "first_contacted_at": "moment + interval '2 hours'",
    "advisor_id": "ids[1 + n %% array_length(ids, 1)]",
}
_LEADS_FROM = """
FROM (SELECT array_agg(id ORDER BY id) AS ids FROM careers_advisor WHERE team = 'career') AS a,
    LATERAL generate_series(%(first)s, %(last)s) AS n,
    LATERAL (SELECT now() - interval '1 day' * %(days)s * (1 - n::float / %(last)s)) AS t(moment)
"""
_EVENT_COLUMNS = {
    "kind": "(ARRAY['submitted', 'routed', 'status_changed'])[k]",
    "created_at": "lead.created_at + k * interval '1 hour'",
    "lead_id": "lead.id",
}
_EVENTS_FROM = """
FROM careers_lead AS lead, generate_series(1, %(events)s) AS k
WHERE lead.reference LIKE 'S%%' AND lead.id > %(after)s
"""
_NOTE_COLUMNS = {
    "body": "'電話で状況を伺いました。'",
    "created_at": "lead.created_at + interval '3 hours'",
    "lead_id": "lead.id",
}
_NOTES_FROM = """
FROM careers_lead AS lead
WHERE lead.reference LIKE 'S%%' AND lead.id > %(after)s AND lead.id %% %(every)s = 0
"""
# The newest OPEN_LEADS generated leads are today's work, in every open state.
_OPEN = """
UPDATE careers_lead
SET status = (ARRAY['assigned', 'contacted', 'interviewing'])[1 + id %% 3], close_reason = ''
WHERE id IN (SELECT id FROM careers_lead WHERE reference LIKE 'S%%'
             ORDER BY created_at DESC LIMIT %(count)s)
"""


def insert_select(model, expressions: dict[str, str], from_sql: str, params: dict) -> None:
    """INSERT … SELECT: `expressions` for the columns named, the field default for the rest."""
    fields = {field.column: field for field in model._meta.concrete_fields}
    defaults = {}
    for column, field in fields.items():
        if column in expressions or field.primary_key:
            continue
        name = f"default_{column}"
        defaults[column] = f"%({name})s"
        params = {**params, name: field.get_db_prep_save(field.get_default(), connection)}
    columns = {**expressions, **defaults}
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = (
        f"INSERT INTO {model._meta.db_table} ({quoted}) "
        f"SELECT {', '.join(columns.values())} {from_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def generated_lead_count() -> int:
    from careers.models import Lead

    return Lead.objects.filter(reference__startswith=REFERENCE_PREFIX).count()


def generate_leads(count: int) -> None:
    """Add generated leads (with events and notes) until there are `count`, then VACUUM ANALYZE."""
    from careers.models import Lead, LeadEvent, LeadNote

    present = generated_lead_count()
    if present >= count:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM careers_lead")
        after = cursor.fetchone()[0]
        # Leads generated earlier were the newest; now they are history like the rest.
        cursor.execute(
            "UPDATE careers_lead SET status = 'closed', close_reason = 'lost' "
            "WHERE reference LIKE 'S%%' AND status NOT IN ('closed', 'placed')"
        )
    span = {"first": present + 1, "last": count, "days": DAYS}
    insert_select(Lead, _LEAD_COLUMNS, _LEADS_FROM, span)
    with connection.cursor() as cursor:
        cursor.execute(_OPEN, {"count": OPEN_LEADS})
    insert_select(
        LeadEvent, _EVENT_COLUMNS, _EVENTS_FROM, {"events": EVENTS_PER_LEAD, "after": after}
    )
    insert_select(LeadNote, _NOTE_COLUMNS, _NOTES_FROM, {"every": NOTE_EVERY, "after": after})
    with connection.cursor() as cursor:
        # What autovacuum does to a table that grew over two years: statistics, and a
        # visibility map so the dashboard's counts read the index alone.
        for table in ("careers_lead", "careers_leadevent", "careers_leadnote"):
            cursor.execute(f"VACUUM ANALYZE {table}")
