"""Turn an unreachable database into the friendly 503 page instead of a 500."""

import logging
from http import HTTPStatus

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError):
            # Raised by middleware that touches the database (sessions, auth)
            # before a view runs; process_exception never sees those.
            return self._unavailable(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            return self._unavailable(request)
        return None

    @staticmethod
    def _unavailable(request):
        logger.exception("database unavailable while serving %s", request.path)
        # Rendered without a request context: the context processors may need the database.
        response = HttpResponse(render_to_string("503.html"), status=HTTPStatus.SERVICE_UNAVAILABLE)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
