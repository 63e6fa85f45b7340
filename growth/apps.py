from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "growth"
    verbose_name = "Professional Growth"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from growth import (
            dashboards,  # noqa: F401  (role home panels and report links)
            navigation,  # noqa: F401  (registers the core links)
        )
