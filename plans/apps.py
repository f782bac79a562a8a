from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"

    def ready(self) -> None:
        from assessment.kinds import register_kind
        from delivery_unit.parts import register_part
        from plans import default_criteria, holdings
        from plans.templatetags.plans import next_milestone, plan_summary

        register_kind(default_criteria.KIND, "Delivery plan criteria", default_criteria.load)
        # The priority's page shows its plan without the priorities app naming plans.
        register_part("priority.glance", "plans/parts/priority_glance.html", next_milestone)
        register_part("priority.summary", "plans/parts/priority_summary.html")
        register_part("priority.sections", "plans/_plan_summary.html", plan_summary)
        # What a person holds here, listed and handed over on their page.
        holdings.register()
