"""Site plumbing that belongs to no app: health, CSRF failure, error and outage pages."""

from http import HTTPStatus

import redis
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

from news.sitemaps import SECTION_TEMPLATE, news_sections
from projects.sitemaps import project_sections


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


# ------------------------------------------------------------------------------
# Error pages: the admin's own look inside /admin/, the public site's everywhere else
# ------------------------------------------------------------------------------

ADMIN_ERRORS = {
    HTTPStatus.BAD_REQUEST: (
        _("リクエストを処理できませんでした"),
        _("入力内容を確かめて、もう一度お試しください。"),
    ),
    HTTPStatus.FORBIDDEN: (
        _("このページを表示する権限がありません"),
        _("必要なときは、マネージャーに権限の追加を依頼してください。"),
    ),
    HTTPStatus.NOT_FOUND: (
        _("ページが見つかりません"),
        _("削除されたか、あなたの担当ではない項目です。"),
    ),
    HTTPStatus.INTERNAL_SERVER_ERROR: (
        _("エラーが発生しました"),
        _("時間をおいてもう一度お試しください。続くときは開発担当に連絡してください。"),
    ),
}


def _in_admin(request) -> bool:
    return request.path.startswith(reverse("admin:index"))


def _admin_error(request, status: HTTPStatus):
    heading, message = ADMIN_ERRORS[status]
    if status == HTTPStatus.INTERNAL_SERVER_ERROR:
        # The database may be what failed: only what needs no query (no menu, no user).
        context = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
    else:
        context = admin.site.each_context(request)
    context |= {"title": heading, "message": message, "status": int(status)}
    return render(request, "admin/error_page.html", context, status=status)


def _error_view(status: HTTPStatus, public_view):
    """The handler for `status`: the admin's page inside the admin, else Django's own view."""

    def view(request, exception=None):
        if _in_admin(request):
            return _admin_error(request, status)
        if exception is None:
            return public_view(request)
        return public_view(request, exception)

    return view


bad_request = _error_view(HTTPStatus.BAD_REQUEST, defaults.bad_request)
permission_denied = _error_view(HTTPStatus.FORBIDDEN, defaults.permission_denied)
page_not_found = _error_view(HTTPStatus.NOT_FOUND, defaults.page_not_found)
server_error = _error_view(HTTPStatus.INTERNAL_SERVER_ERROR, defaults.server_error)


def _sitemap_sections() -> dict:
    # Built per request: a list page's section reads the summary its listed section made.
    return {**news_sections(), **project_sections()}


def sitemap_index(request):
    return sitemaps.index(request, _sitemap_sections(), sitemap_url_name="sitemap-section")


def sitemap_section(request, section):
    return sitemaps.sitemap(
        request, _sitemap_sections(), section=section, template_name=SECTION_TEMPLATE
    )
