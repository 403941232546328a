# Celery's autodiscovery imports `careers.tasks`; the tasks live in one module per concern.
from careers.tasks import bookings, personal_data, routing

__all__ = ["bookings", "personal_data", "routing"]
