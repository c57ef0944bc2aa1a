from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "thidua.awards"
    verbose_name = _("Awards")

    def ready(self) -> None:
        # The samples of the templates whose contexts this app builds (documents.samples).
        from thidua.documents import samples

        from . import documents

        samples.register("quyet_dinh_khen_thuong.docx", documents.sample_award_decision)
