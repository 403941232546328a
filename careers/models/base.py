from django.db import models
from django.utils.translation import gettext_lazy as _

from core.interests import Interest

__all__ = ["Interest", "Team"]


class Team(models.TextChoices):
    """Separate routing pools: candidates go to career advisors, companies to corporate sales."""

    CAREER = "career", _("キャリアアドバイザー")
    SALES = "sales", _("法人営業")
    FREELANCE = "freelance", _("業務委託チーム")
