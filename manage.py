#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delivery_unit.settings")
    # Commands typed by a developer default to development settings; the web server's entry
    # points (wsgi.py, asgi.py) default to production, and a deployment sets DEBUG=false.
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
