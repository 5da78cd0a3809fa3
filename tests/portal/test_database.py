"""The production database: PostgreSQL must store and search Chinese text correctly."""

import pytest
from django.db import connection

from portal.models import SiteSettings


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_stores_chinese_in_utf8():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"
    SiteSettings.objects.create(site_name="青湾区教育系统党建网")
    assert SiteSettings.objects.filter(site_name__contains="党建").count() == 1
