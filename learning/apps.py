from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Professional learning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from learning import navigation, reminders  # noqa: F401  (registers links and panels)

        reminders.register()
