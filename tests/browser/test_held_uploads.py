"""A cover chosen on a form refused for its empty title stays chosen: the next 保存 keeps it."""

import pytest
from django.urls import reverse
from PIL import Image
from selenium.webdriver.common.by import By

from news.models import Article
from tests import samples
from tests.factories import ArticleFactory, RoleUserFactory

from .conftest import admin_login, severe_console_messages, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"


def test_cover_survives_a_refused_save(browser, live_server, tmp_path):
    cover = tmp_path / "活动封面.jpg"
    cover.write_bytes(samples.picture("JPEG"))
    RoleUserFactory(username="editor", roles=["编辑"])
    article = ArticleFactory(status="draft", title="原来的标题", cover="")
    admin_login(browser, live_server, "editor", PASSWORD)
    browser.get(live_server.url + reverse("admin:news_article_change", args=[article.pk]))

    browser.find_element(By.NAME, "cover").send_keys(str(cover))
    browser.find_element(By.NAME, "title").clear()
    browser.find_element(By.NAME, "_save").click()

    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"), "no errors")
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary a[href='#id_title']")
    assert summary.text.startswith("标题：")
    held = browser.find_element(By.CSS_SELECTOR, ".field-cover .held-upload")
    assert held.text == "已选择：活动封面.jpg（保存时上传）"

    browser.find_element(By.NAME, "title").send_keys("补上的标题")
    # A cover needs its description for readers who cannot see it.
    browser.find_element(By.NAME, "cover_alt").send_keys("学生在纪念馆前合影")
    browser.find_element(By.NAME, "_save").click()

    wait_until(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "ul.messagelist li.success"),
        "the second 保存 did not succeed",
    )
    article = Article.objects.get(pk=article.pk)
    assert article.title == "补上的标题"
    assert article.cover.name.startswith("news/covers/")
    # The picture that was held is the one stored (re-encoded by the image pipeline).
    with Image.open(article.cover) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
    assert not severe_console_messages(browser)
