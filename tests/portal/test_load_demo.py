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
    # One line per account, written once: the superuser and one account per editorial role.
    assert len(lines) == len(demo.ACCOUNTS)
    users = get_user_model().objects.in_bulk(field_name="username")
    for line, (expected, _name, is_superuser, groups) in zip(lines, demo.ACCOUNTS, strict=True):
        username, password, _name = line.split("\t")
        assert username == expected
        user = users[username]
        assert user.check_password(password)
        assert user.is_staff and user.is_superuser == is_superuser
        assert sorted(user.groups.values_list("name", flat=True)) == sorted(groups)
    roles = {group for *_rest, groups in demo.ACCOUNTS for group in groups}
    assert roles == {"学校通讯员", "编辑", "审核员", "管理员", "审计员"}
