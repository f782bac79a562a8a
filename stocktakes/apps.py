from django.apps import AppConfig


class StocktakesConfig(AppConfig):
    name = "stocktakes"

    def ready(self) -> None:
        from delivery_unit.parts import register_part
        from stocktakes import holdings

        # The stocktakes app holds the links from a review and a recommendation to a stocktake
        # (reviews sit below it); the review's pages show them through these parts.
        register_part("review.commissioned", "stocktakes/parts/review_commissioned.html")
        register_part("recommendation.action", "stocktakes/parts/recommendation_action.html")
        # What a person holds here, listed and handed over on their page.
        holdings.register()
