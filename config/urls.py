from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from config import views

admin.site.site_header = "Plus Web3 管理画面"
admin.site.site_title = "Plus Web3 管理画面"
admin.site.index_title = "管理メニュー"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", TemplateView.as_view(template_name="privacy.html"), name="privacy"),
    path("admin/", admin.site.urls),
    path("", include("careers.urls")),
    path("", include("newsletter.urls")),
    path("", include("news.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
