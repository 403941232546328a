from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("ニュース")

    def ready(self):
        from news import signals  # noqa: F401 - connects the cache invalidation receivers
