from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from careers.retention import retention_periods
from core.privacy_policy import policy_current
from news.cache import cache_public_page


@require_safe
@cache_public_page
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /consultation/thanks/",
        "Disallow: /articles/*/cta/",
        "",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def privacy(request):
    """The privacy policy in effect, with the retention periods the purge uses."""
    context = {"policy": policy_current(), "retention_periods": retention_periods()}
    return render(request, "privacy.html", context)
