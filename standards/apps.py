from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = "Standards and self-review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from standards import navigation  # noqa: F401  (registers links and home panels)
