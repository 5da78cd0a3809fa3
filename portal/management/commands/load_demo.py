"""Fill the database with the demo district: safe to run any number of times."""

from importlib import import_module

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from portal import page_cache

# Each app's demo module has load(command); order matters (news links to schools).
DEMO_MODULES = ["portal.demo", "brands.demo", "news.demo"]


class Command(BaseCommand):
    help = "载入演示数据（青湾区）。已有的数据不会重复创建，可以反复运行。"

    def handle(self, *args, **options):
        for module_name in DEMO_MODULES:
            with transaction.atomic():
                import_module(module_name).load(self)
        # A first revision for everything the demo created, so the admin history is never empty;
        # objects that already have one are skipped.
        call_command("createinitialrevisions", comment="演示数据初始版本", verbosity=0)
        # Some demo rows are bulk inserted, which sends no signals: the cached pages are told here.
        page_cache.bump()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
