from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CovenantsConfig(AppConfig):
    name = "thidua.covenants"
    verbose_name = _("Covenants")

    def ready(self) -> None:
        # The block dossier is a kind of documents batch that covenants owns.
        from thidua.documents import batches

        from .dossier import DOSSIER

        batches.register_kind(batches.Kind.DOSSIER, DOSSIER)
