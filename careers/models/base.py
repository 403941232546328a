from django.db import models
from django.utils.translation import gettext_lazy as _

from core.interests import Interest

__all__ = ["Interest", "Team"]


class Specialty(models.TextChoices):
    """What an advisor covers: Interest's values, in the staff's words, not the candidate's."""

    AI = Interest.AI.value, _("AI業界")
    WEB3 = Interest.WEB3.value, _("Web3業界")
    BOTH = Interest.BOTH.value, _("AI・Web3の両方")


class Team(models.TextChoices):
    """Separate routing pools: candidates go to career advisors, companies to corporate sales."""

    CAREER = "career", _("キャリアアドバイザー")
    SALES = "sales", _("法人営業")
    FREELANCE = "freelance", _("業務委託チーム")
