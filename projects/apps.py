from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("業務委託案件")

    def ready(self):
        from projects import signals  # noqa: F401 - connects the cache invalidation receivers
