from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "growth"
    verbose_name = "Professional Growth"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from growth.navigation import links  # noqa: F401  (registers the core links)
        from growth.privacy import navigation  # noqa: F401  (the privacy links)
        from growth.reporting import dashboards  # noqa: F401  (home panels and report links)
        from growth.security import rls

        rls.connect_signals()
        post_migrate.connect(rls.post_migrate_setup, dispatch_uid="growth_rls_setup")
