from django.db import models
from django.utils.translation import gettext_lazy as _


class Interest(models.TextChoices):
    """What a lead is about; also what an advisor covers (Advisor.specialty)."""

    AI = "ai", _("AI業界")
    WEB3 = "web3", _("Web3業界")
    BOTH = "both", _("両方・まだ決めていない")


class Team(models.TextChoices):
    """Separate routing pools: candidates go to career advisors, companies to corporate sales."""

    CAREER = "career", _("キャリアアドバイザー")
    SALES = "sales", _("法人営業")
    FREELANCE = "freelance", _("業務委託チーム")
