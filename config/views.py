"""Site plumbing that belongs to no app: health, CSRF failure and outage pages."""

from http import HTTPStatus

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _broker_ok() -> bool:
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


@never_cache
@require_safe
def healthz(request):
    """200 when every configured dependency answers; 503 naming the ones that do not."""
    checks = {"database": _database_ok()}
    if settings.REDIS_URL:
        checks["broker"] = _broker_ok()
    failing = [name for name, ok in checks.items() if not ok]
    body = {
        "status": "error" if failing else "ok",
        "checks": {name: "ok" if ok else "error" for name, ok in checks.items()},
    }
    if failing:
        body["failing"] = failing
    status = HTTPStatus.SERVICE_UNAVAILABLE if failing else HTTPStatus.OK
    return JsonResponse(body, status=status)


def csrf_failure(request, reason=""):
    """Tell the person to reload; the reason stays in the log, not on the page."""
    return render(request, "403_csrf.html", status=HTTPStatus.FORBIDDEN)


# Uploads may be replaced under the same name (a hero's variants), so a day, not a year.
MEDIA_MAX_AGE = 86400


@require_safe
def media(request, path):
    """An uploaded file from MEDIA_ROOT (the one-node setup); 404 for anything outside it."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=MEDIA_MAX_AGE)
    return response
