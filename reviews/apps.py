from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"
    verbose_name = "Priority reviews"

    def ready(self) -> None:
        from delivery_unit.parts import register_part
        from reviews import holdings
        from reviews.templatetags.reviews import priority_reviews

        # The priority's page shows its reviews without the priorities app naming reviews.
        register_part("priority.sections", "reviews/_priority_reviews.html", priority_reviews)
        # What a person holds here, listed and handed over on their page.
        holdings.register()
