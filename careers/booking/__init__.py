"""面談予約: candidates book a consultation with an advisor the routing policy allows.

calendar.py (pure slots), selectors.py (reads), services.py (book, reschedule, cancel,
reminders), links.py (the signed link), ics.py and emails.py (the invitation), forms.py,
views.py and urls.py (the candidate's pages).
"""
