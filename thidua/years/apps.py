from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearsConfig(AppConfig):
    name = "thidua.years"
    verbose_name = _("Years")
