from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "thidua.scoring"
    verbose_name = _("Scoring")

    def ready(self) -> None:
        # The samples of the templates whose contexts this app builds (documents.samples).
        from thidua.documents import samples

        from . import report_document

        samples.register("bao_cao.docx", report_document.sample_report)
