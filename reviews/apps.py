from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from objectives.selectors import register_unfinished_filter
        from reviews import navigation  # noqa: F401  (registers nav links and home panels)
        from reviews.selectors import leave_out_met_objectives

        register_unfinished_filter(leave_out_met_objectives)
