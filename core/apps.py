from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Project-wide plumbing that every domain app may use and none owns."""

    name = "core"
    verbose_name = _("共通基盤")
