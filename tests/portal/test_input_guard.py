"""Control characters in an address get 400 with the site's own page, never a 500."""

import pytest

from tests.factories import ArticleFactory, SiteSettingsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(db):
    SiteSettingsFactory()
    return ArticleFactory(tags=["主题党日"])


@pytest.mark.parametrize(
    "url",
    [
        "/news/tags/%00/",
        "/news/tags/主题党日%00/",
        "/news/tags/zhu-ti-dang-ri%00/",
        "/news/%00/",
        "/schools/%00/",
        "/news/tags/a%0Ab/",
        "/news/tags/a%7Fb/",
        "/news/archive/?page=%00",
        "/schools/?town=%00",
        "/news/archive/?page=1&page=%00",
        "/?q%00=1",
        "/news/tags/zhu-ti-dang-ri/?page=1%0D%0A",
    ],
)
def test_control_characters_answer_400(client, article, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


def test_ordinary_addresses_pass(client, article):
    assert client.get("/news/tags/zhu-ti-dang-ri/").status_code == 200
    assert client.get("/news/tags/zhu-ti-dang-ri/?page=1").status_code == 200
    assert client.get("/news/tags/%E2%80%AE/").status_code == 404
    assert (
        client.get(article.get_absolute_url() + "?utm_source=%E5%BE%AE%E4%BF%A1").status_code == 200
    )
