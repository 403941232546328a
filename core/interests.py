"""The site's two fields, AI and Web3: what a lead is about and what a CTA button preselects.

Here rather than in careers so that news (a CTA button's interest) and careers (a lead's,
an advisor's specialty) share one definition without news importing careers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Interest(models.TextChoices):
    """What a lead is about; also what an advisor covers (Advisor.specialty)."""

    AI = "ai", _("AI業界")
    WEB3 = "web3", _("Web3業界")
    BOTH = "both", _("両方・まだ決めていない")
