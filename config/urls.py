import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from config import views
from news.cache import NEWS_PAGES, PageCache
from news.sitemaps import sitemap_page_parameter
from projects.cache import PROJECT_PAGES

admin.site.site_header = "Plus Web3 管理画面"
admin.site.site_title = "Plus Web3 管理画面"
admin.site.index_title = "管理メニュー"

# The sitemap of every public page, stale when either family of pages is: /sitemap.xml (the
# address in robots.txt) is the index of the sections, each section paged by `?p=N`.
SITEMAP_PAGES = PageCache("sitemap", depends_on=(NEWS_PAGES, PROJECT_PAGES))

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(
        "sitemap.xml",
        SITEMAP_PAGES(views.sitemap_index),
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        SITEMAP_PAGES.keyed_by(sitemap_page_parameter)(views.sitemap_section),
        name="sitemap-section",
    ),
    path("admin/", admin.site.urls),
    path("", include("base.urls")),
    path("", include("careers.urls")),
    path("", include("newsletter.urls")),
    path("", include("projects.urls")),
    path("", include("news.urls")),
]

if settings.MEDIA_STORAGE == "filesystem" and settings.MEDIA_URL.startswith("/"):
    # One node keeps uploads on its disk and serves them itself, DEBUG or not; a web server
    # in front may serve MEDIA_ROOT at MEDIA_URL instead. Object storage serves its own.
    urlpatterns.insert(
        0, re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", views.media)
    )

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
