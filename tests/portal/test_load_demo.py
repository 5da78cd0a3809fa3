import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from portal import demo
from portal.models import SiteSettings


@pytest.mark.django_db
def test_load_demo_is_idempotent(tmp_path, monkeypatch):
    credentials = tmp_path / "credentials.txt"
    monkeypatch.setattr(demo, "CREDENTIALS_FILE", credentials)
    call_command("load_demo")
    call_command("load_demo")
    assert SiteSettings.objects.count() == 1
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    lines = credentials.read_text().splitlines()
    assert len(lines) == 1
    username, password, _name = lines[0].split("\t")
    assert username == "admin"
    assert admin.check_password(password)
