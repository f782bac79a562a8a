"""A believable London borough's delivery unit, for trying the application out.

Idempotent: users and priorities are matched by user name and slug and brought back to the demo's
values; ratings, plans and stocktakes are added only where the demo's are not there yet. It lives
in home, the app above every other, because it fills every app's tables.
"""

import os
from typing import cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from delivery_unit.models import Role, User
from notes import demo_data as notes_demo
from plans.demo_data import build_plans
from priorities.demo_data import INDICATORS, build_indicators
from priorities.demo_rounds import build_rounds
from priorities.indicators.periods import Frequency, Periods
from priorities.models import Likelihood, Priority
from reviews import demo_data as review_demo
from rhythm import demo_data as rhythm_demo
from stocktakes import demo_data as stocktake_demo

R, AR, AG, G = (
    Likelihood.RED,
    Likelihood.AMBER_RED,
    Likelihood.AMBER_GREEN,
    Likelihood.GREEN,
)

USERS = [
    # user name, first, last, role, job title
    ("analyst", "Priya", "Shah", Role.UNIT_STAFF, "Delivery Analyst"),
    ("unitlead", "Tom", "Okafor", Role.UNIT_STAFF, "Head of the Corporate Delivery Unit"),
    ("lead", "Helen", "Murray", Role.PRIORITY_LEAD, "Director of Housing Demand"),
    ("lead2", "David", "Achterberg", Role.PRIORITY_LEAD, "Director of Finance"),
    ("lead3", "Grace", "Adeyemi", Role.PRIORITY_LEAD, "Director of Children's Services"),
    ("lead4", "Sam", "Kowalski", Role.PRIORITY_LEAD, "Director of Regeneration"),
    ("officer", "Jordan", "Reid", Role.SERVICE_STAFF, "Temporary Accommodation Manager"),
    ("chief", "Margaret", "Ellison", Role.LEADERSHIP, "Chief Executive"),
    ("leader", "Cllr Joseph", "Ahmed", Role.LEADERSHIP, "Leader of the Council"),
    ("cabinet", "Cllr Ruth", "Okonjo", Role.CABINET_MEMBER, "Cabinet Member for Housing"),
    ("admin", "Alex", "Morgan", Role.ADMINISTRATOR, "Systems Administrator"),
]

PRIORITIES: list[tuple[str, str, str, str, str, list[str]]] = [
    # slug, code, title, lead, aspiration, six monthly ratings (oldest first)
    (
        "temporary-accommodation",
        "TA",
        "Temporary Accommodation",
        "lead",
        "Fewer households in temporary accommodation, and no family in bed and breakfast for more "
        "than six weeks: from about 3,000 households today to 2,400 within two years.",
        [R, R, AR, AR, AR, AR],
    ),
    (
        "rough-sleeping",
        "RS",
        "Rough sleeping",
        "lead",
        "Nobody new to the streets spends a second night out, and the number seen sleeping rough "
        "each month falls by half.",
        [AR, AG, AG, AG, AG, G],
    ),
    (
        "council-tax-collection",
        "CT",
        "Council tax collection",
        "lead2",
        "Raise in-year collection from 95% to 96.5% without more complaints about enforcement.",
        [AG, AG, G, G, G, G],
    ),
    (
        "childrens-social-care",
        "CS",
        "Children's social care",
        "lead3",
        "Fewer children referred again within a year, assessments on time, and children in care "
        "placed close to home.",
        [AR, AR, AR, R, R, AR],
    ),
    (
        "young-people-in-work-or-learning",
        "YP",
        "Young people in work or learning",
        "lead2",
        "Every 16 and 17 year old in education, employment or training, and none whose activity "
        "is not known.",
        [AG, AG, AG, AR, AG, AG],
    ),
    (
        "affordable-homes",
        "AH",
        "Affordable homes",
        "lead4",
        "1,000 new council homes started on site by the end of the programme.",
        [AR, AR, AG, AG, AR, AR],
    ),
    (
        "recycling",
        "RC",
        "Recycling",
        "lead4",
        "Household waste recycled up from about 30% to 38%, with less contamination and no rise "
        "in fly-tipping.",
        [AG, AR, AR, AR, AG, AG],
    ),
    (
        "special-educational-needs",
        "SN",
        "Special educational needs",
        "lead3",
        "Education, health and care plans issued within 20 weeks for nine requests in ten.",
        [R, R, R, R, AR, R],
    ),
]

# Cabinet member and the services involved, by priority code.
PORTFOLIOS = {
    "TA": (
        "Cllr Ruth Okonjo, Cabinet Member for Housing",
        "Housing Demand; Temporary Accommodation",
    ),
    "RS": (
        "Cllr Ruth Okonjo, Cabinet Member for Housing",
        "Single Homelessness; outreach partners",
    ),
    "CT": ("Cllr Ian Shaw, Cabinet Member for Finance", "Revenues; Customer Services"),
    "CS": ("Cllr Mary Lowe, Cabinet Member for Children", "Children's Social Care; Early Help"),
    "YP": ("Cllr Mary Lowe, Cabinet Member for Children", "Schools and Learning; Youth Service"),
    "AH": ("Cllr Ruth Okonjo, Cabinet Member for Housing", "Regeneration; Planning"),
    "RC": ("Cllr Dev Bhatt, Cabinet Member for Environment", "Waste; Street Cleansing"),
    "SN": ("Cllr Mary Lowe, Cabinet Member for Children", "SEND; Educational Psychology"),
}


class Command(BaseCommand):
    help = "Load the demo council: users, eight priorities, ratings, plans and two stocktakes."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Build N times as many priorities, of the same shape (for benchmarks).",
        )
        parser.add_argument(
            "--not-production",
            action="store_true",
            help="Run without DEBUG: for a test, benchmark or staging database, never production.",
        )

    def handle(self, *args, scale: int, not_production: bool = False, **options) -> None:
        # The demo resets its users' passwords and roles (chief, admin...): on a live database
        # that hands anyone who reads the README a way in.
        if not settings.DEBUG and not not_production:
            raise CommandError(
                "load_demo resets the demo users' passwords and roles, so it runs only with "
                "DEBUG=true, or with --not-production on a database that is not production."
            )
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        password = os.environ.get("DEMO_PASSWORD", "delivery-demo")
        with transaction.atomic():
            users = self._users(password)
            priorities = self._priorities(users, scale)
            self._indicators(priorities, users["analyst"])
            self._ratings(priorities, users)
            build_plans(priorities, users)
            stocktake_demo.build(priorities, users)
            review_demo.build(priorities, users)
            notes_demo.build(users)
            rhythm_demo.build(users)  # last: the month's reminders, from what is owed
        self.stdout.write(self.style.SUCCESS("Demo council loaded. Sign in as:"))
        for username, first, last, role, job in USERS:
            self.stdout.write(f"  {username:<9} {Role(role).label:<14} {first} {last}, {job}")
        self.stdout.write(f"Password for every demo user: {password}")

    def _users(self, password: str) -> dict[str, User]:
        users = {}
        for username, first, last, role, job in USERS:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "role": role,
                    "job_title": job,
                    "is_unit_leader": username == "unitlead",
                    "email": f"{username}@example.org",
                    "is_active": True,
                },
            )
            if not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            users[username] = user
        return users

    def _priorities(self, users: dict[str, User], scale: int) -> list[Priority]:
        """The demo's priorities; with --scale N, copies 2..N of each with the same shape."""
        priorities: list[Priority] = []
        # From the indicators' baselines three years back (a year-to-date indicator's is the
        # out-turn of the year before) to the end of the council's year their targets fall in,
        # two years ahead: every baseline and target within its priority's dates.
        today = timezone.localdate()
        quarters, years = Periods.of(Frequency.QUARTERLY), Periods.of(Frequency.ANNUAL)
        now = quarters.start(today)
        start_date = Periods.monthly().shift(years.start(quarters.shift(now, -12)), -1)
        end_date = years.end(years.start(quarters.shift(now, 8)))
        for copy in range(1, scale + 1):
            for slug, code, title, lead, aspiration, _ in PRIORITIES:
                suffix = "" if copy == 1 else f"-{copy}"
                priority, _ = Priority.objects.update_or_create(
                    slug=f"{slug}{suffix}",
                    defaults={
                        "title": title if copy == 1 else f"{title} ({copy})",
                        "code": code if copy == 1 else f"{code}{copy}",
                        # The housing portfolio's holder has an account here; the other
                        # cabinet members are named as text.
                        "portfolio_holder": users["cabinet"]
                        if PORTFOLIOS[code][0].startswith("Cllr Ruth Okonjo")
                        else None,
                        "cabinet_member": ""
                        if PORTFOLIOS[code][0].startswith("Cllr Ruth Okonjo")
                        else PORTFOLIOS[code][0],
                        "services": PORTFOLIOS[code][1],
                        "start_date": start_date,
                        "end_date": end_date,
                        "aspiration": aspiration,
                        "lead": users[lead],
                        "analyst": users["analyst"]
                        if len(priorities) % 2 == 0
                        else users["unitlead"],
                        "status": Priority.Status.ACTIVE,
                    },
                )
                priorities.append(priority)
        # A service manager who enters Temporary Accommodation's data.
        priorities[0].service_staff.add(users["officer"])
        return priorities

    def _indicators(self, priorities: list[Priority], analyst: User) -> None:
        today = timezone.localdate()
        for priority in priorities:
            code = cast(str, priority.code)  # the demo's priorities all have a code
            specs = INDICATORS[code.rstrip("0123456789")]
            build_indicators(priority, code, specs, today=today, by=priority.lead or analyst)

    def _ratings(self, priorities: list[Priority], users: dict[str, User]) -> None:
        build_rounds(
            priorities,
            [history for *_, history in PRIORITIES],
            analyst=users["analyst"],
            unit_leader=users["unitlead"],
            today=timezone.localdate(),
        )
