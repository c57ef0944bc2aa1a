from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TitlesConfig(AppConfig):
    name = "thidua.titles"
    verbose_name = _("Titles and eligibility")

    def ready(self) -> None:
        # awards sits below titles: the one issue path in awards asks the checks registered
        # here whether every recipient meets the conditions of its title.
        from thidua.awards import eligibility_checks

        from .issuing_check import check_recipients

        eligibility_checks.register(check_recipients)
