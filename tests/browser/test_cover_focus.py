"""The cover's focal point is set by clicking the picture; the preview shows the 16:9 crop."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from news.models import Article
from tests.factories import ArticleFactory, RoleUserFactory
from tests.news.test_cover_focus import portrait

from .conftest import admin_login, severe_console_messages, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"


def test_clicking_the_picture_sets_the_point(browser, live_server, tmp_path):
    RoleUserFactory(username="editor", roles=["编辑"])
    article = ArticleFactory(status="draft", cover="", cover_alt="学生在校门口合影")
    article.cover.save("p.jpg", ContentFile(portrait()))
    admin_login(browser, live_server, "editor", PASSWORD)
    browser.get(live_server.url + reverse("admin:news_article_change", args=[article.pk]))

    image = browser.find_element(By.CSS_SELECTOR, ".cover-focus__image")
    wait_until(browser, lambda d: image.get_property("naturalWidth") > 0, "no picture")
    # The live preview stands in for the form's small picture of the stored crop.
    assert not browser.find_element(By.CSS_SELECTOR, ".field-cover .picture-preview").is_displayed()
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", image)
    height = image.size["height"]
    # Selenium's offsets are from the element's centre: a tenth of the height from the top.
    ActionChains(browser).move_to_element_with_offset(image, 0, -height * 0.4).click().perform()

    focus_y = browser.find_element(By.NAME, "cover_focus_y")
    assert 5 <= int(focus_y.get_property("value")) <= 15
    assert browser.find_element(By.NAME, "cover_focus_x").get_property("value") == "50"
    # The preview is moved to the top of the picture.
    cropped = browser.find_element(By.CSS_SELECTOR, ".cover-focus__cropped")
    assert cropped.value_of_css_property("transform") in ("none", "matrix(1, 0, 0, 1, 0, 0)")

    stage = browser.find_element(By.CSS_SELECTOR, ".cover-focus__stage")
    stage.send_keys(Keys.ARROW_RIGHT)
    assert browser.find_element(By.NAME, "cover_focus_x").get_property("value") == "55"

    browser.find_element(By.NAME, "_save").click()
    wait_until(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "ul.messagelist li.success"),
        "保存 did not succeed",
    )
    article = Article.objects.get(pk=article.pk)
    assert article.cover_focus_x == 55 and 5 <= article.cover_focus_y <= 15
    assert not severe_console_messages(browser)


def test_a_newly_chosen_picture_shows_in_the_picker(browser, live_server, tmp_path):
    picture = tmp_path / "合影.jpg"
    picture.write_bytes(portrait())
    RoleUserFactory(username="editor", roles=["编辑"])
    article = ArticleFactory(status="draft", cover="", cover_focus_y=80)
    admin_login(browser, live_server, "editor", PASSWORD)
    browser.get(live_server.url + reverse("admin:news_article_change", args=[article.pk]))
    picker = browser.find_element(By.CSS_SELECTOR, ".cover-focus")
    assert not picker.is_displayed()  # no cover yet

    browser.find_element(By.NAME, "cover").send_keys(str(picture))
    wait_until(browser, lambda d: picker.is_displayed(), "the picker stayed hidden")
    assert browser.find_element(By.NAME, "cover_focus_y").get_property("value") == "50"
    assert not severe_console_messages(browser)
