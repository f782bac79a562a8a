"""Give a user one of the roles from the command line (administrators do it under People)."""

from django.core.management.base import BaseCommand, CommandError

from delivery_unit.models import Role, User


class Command(BaseCommand):
    help = f"Set a user's role: {', '.join(Role.values)}."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--job-title", default=None)
        parser.add_argument(
            "--unit-leader",
            action="store_true",
            help="Mark a unit staff member as the Unit Leader (moves rounds into moderation).",
        )

    def handle(
        self, *args, username: str, role: str, job_title: str | None, unit_leader: bool, **options
    ) -> None:
        if unit_leader and role != Role.UNIT_STAFF:
            raise CommandError("Only unit staff can be the Unit Leader.")
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"There is no user called {username!r}.") from None
        user.role = role
        user.is_unit_leader = unit_leader
        fields = ["role", "is_unit_leader"]
        if job_title is not None:
            user.job_title = job_title
            fields.append("job_title")
        user.save(update_fields=fields)
        title = "the Unit Leader" if unit_leader else Role(role).label.lower()
        self.stdout.write(f"{user.username} is now {title}.")
