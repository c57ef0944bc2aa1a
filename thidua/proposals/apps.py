from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "thidua.proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        # The samples of the templates whose contexts this app builds (documents.samples).
        from thidua.documents import samples

        from . import documents

        samples.register("to_trinh.docx", documents.sample_proposal)
