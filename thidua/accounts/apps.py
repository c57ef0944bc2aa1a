from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "thidua.accounts"
    verbose_name = _("Accounts and security")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
