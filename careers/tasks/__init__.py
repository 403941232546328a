# Celery's autodiscovery imports `careers.tasks`; the tasks live in one module per concern.
from careers.tasks import bookings, notifications, personal_data, routing

__all__ = ["bookings", "notifications", "personal_data", "routing"]
