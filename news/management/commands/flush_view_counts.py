"""The former name of ``manage.py flush_tallies``, kept for the timers that run it: it writes
every tally now, the searches as well as the view counts. See ``portal.tallies``."""

from portal.management.commands.flush_tallies import Command  # noqa: F401
