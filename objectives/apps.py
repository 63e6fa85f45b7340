from django.apps import AppConfig


class ObjectivesConfig(AppConfig):
    name = "objectives"
    verbose_name = "Objectives"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from objectives import navigation  # noqa: F401  (registers links and panels)
