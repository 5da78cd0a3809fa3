import pytest
from django.urls import reverse

from tests.factories import SuperuserFactory


@pytest.mark.django_db
def test_admin_javascript_speaks_chinese(client):
    client.force_login(SuperuserFactory())
    catalog = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "\\u5168\\u9009%s" in catalog or "全选%s" in catalog  # "Choose all %s"
    assert "\\u79fb\\u9664\\u9009\\u4e2d\\u7684%s" in catalog or "移除选中的%s" in catalog
