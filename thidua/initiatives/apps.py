from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "thidua.initiatives"
    verbose_name = _("Initiatives")

    def ready(self) -> None:
        # The samples of the templates whose contexts this app builds (documents.samples).
        from thidua.documents import samples

        from . import documents

        samples.register(documents.REQUEST_TEMPLATE, documents.sample_request)
        samples.register(documents.MINUTES_TEMPLATE, documents.sample_minutes)
        samples.register(documents.DECISION_TEMPLATE, documents.sample_decision)
