from django.forms.renderers import TemplatesSetting


class BootstrapFormRenderer(TemplatesSetting):
    """Render every form field through the project's Bootstrap field template."""

    field_template_name = "web/field.html"
