from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("メルマガ「AI・Web3 Insight」")

    def ready(self):
        # Disclosure and erasure requests (core.personal_data) cover subscribers too.
        from core.personal_data import (
            PersonalDataSource,
            personal_data_source_register,
            personal_data_trace_register,
        )
        from newsletter import services

        personal_data_source_register(
            PersonalDataSource(
                name="newsletter",
                label=_("メルマガ「AI・Web3 Insight」"),
                disclose=services.personal_data_disclose,
                erase=services.personal_data_erase,
            )
        )
        personal_data_trace_register("newsletter", services.deliveries_traces_scrub)
