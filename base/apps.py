from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    """What belongs to the whole site rather than one app: demo content and robots.txt."""

    name = "base"
    verbose_name = _("サイト全体")
