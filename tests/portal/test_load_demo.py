import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from reversion.models import Version

from brands.models import School
from news.models import Article
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


@pytest.mark.django_db
def test_load_demo_gives_every_object_a_first_revision(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CREDENTIALS_FILE", tmp_path / "credentials.txt")
    call_command("load_demo")
    article = Article.objects.order_by("pk").first()
    school = School.objects.order_by("pk").first()
    assert Version.objects.get_for_object(article).exists()
    assert Version.objects.get_for_object(school).exists()
    versions = Version.objects.count()
    call_command("load_demo")
    assert Version.objects.count() == versions
