from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "growth"
    verbose_name = "Professional Growth"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from growth import (
            dashboards,  # noqa: F401  (role home panels and report links)
            navigation,  # noqa: F401  (registers the core links)
            privacy_navigation,  # noqa: F401  (hardening: privacy links)
            rls,
        )

        rls.connect_signals()
        post_migrate.connect(rls.post_migrate_setup, dispatch_uid="growth_rls_setup")
