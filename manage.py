#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delivery_unit.settings")
    # Commands typed by a developer default to development settings; the web server's entry
    # points (wsgi.py, asgi.py) default to production, and a deployment sets DEBUG=false.
    if "DEBUG" not in os.environ:
        if "SECRET_KEY" in os.environ:
            # A server's environment: development settings would print its email to the
            # console and answer to localhost only. Refuse rather than guess.
            sys.exit(
                "manage.py: SECRET_KEY is set but DEBUG is not. On a server set DEBUG=false "
                "(production settings); for development set DEBUG=true."
            )
        os.environ["DEBUG"] = "true"
        print(
            "manage.py: DEBUG is not set, so this runs with DEVELOPMENT settings: the "
            "development secret key, email printed to the console, tasks run at once. "
            "On a server, set DEBUG=false.",
            file=sys.stderr,
        )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
