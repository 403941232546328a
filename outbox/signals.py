"""What the outbox tells other apps, so it never has to import them.

Both are sent inside the transaction that records the outcome: a receiver's writes
commit or roll back with the row's new status.
"""

from django.dispatch import Signal

# email: the Email row, just marked sent.
email_sent = Signal()
# email: the Email row, just marked failed for good; error: why, as text.
email_failed = Signal()
