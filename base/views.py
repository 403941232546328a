from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_safe

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
