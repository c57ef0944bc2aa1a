from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "thidua.org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # documents imports no domain app: it asks org's policy who may issue.
        from thidua.documents import permissions

        from .documents import documents_policy

        permissions.register(documents_policy)
