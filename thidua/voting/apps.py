from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "thidua.voting"
    verbose_name = _("Meetings and votes")

    def ready(self) -> None:
        # The samples of the templates whose contexts this app builds (documents.samples).
        from thidua.documents import samples

        from . import documents

        samples.register("bien_ban.docx", documents.sample_meeting_minutes)
        samples.register("bien_ban_kiem_phieu.docx", documents.sample_tally_minutes)
