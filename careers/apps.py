from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareersConfig(AppConfig):
    name = "careers"
    verbose_name = _("キャリア相談")

    def ready(self):
        # A lead's timeline records what became of its emails (outbox.signals).
        from careers import receivers  # noqa: F401

        # Disclosure and erasure requests (core.personal_data) cover the leads.
        from careers.services.personal_data import leads_disclose, leads_erase, leads_traces_scrub
        from core.personal_data import (
            PersonalDataSource,
            personal_data_source_register,
            personal_data_trace_register,
        )

        personal_data_source_register(
            PersonalDataSource(
                name="leads",
                label=_("キャリア相談・採用のお問い合わせ・案件への応募"),
                disclose=leads_disclose,
                erase=leads_erase,
            )
        )
        personal_data_trace_register("leads", leads_traces_scrub)
