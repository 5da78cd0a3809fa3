"""The article body's editor as an editor uses it: 小标题 look like headings, 字数 counts Chinese
characters as they are typed, a refused picture is explained on the page (no alert box), the
file dialog offers pictures only and a file of another kind is named, not dropped without a
word, and the title field holds a 40-character title."""

import pytest
from django.urls import reverse
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from tests import samples
from tests.factories import RoleUserFactory

from .conftest import admin_login, set_width, severe_console_messages, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
TITLE_40 = "教育系统开展学习二十大永远跟党走奋进新征程主题党日活动暨党员教师志愿服务启动仪式"


def open_article_form(driver, live_server, width=1366):
    RoleUserFactory(username="editor", roles=["编辑"])
    admin_login(driver, live_server, "editor", PASSWORD)
    set_width(driver, width)
    driver.get(live_server.url + reverse("admin:news_article_add"))
    wait_until(
        driver,
        lambda d: d.execute_script("return !!(window.editors && window.editors['id_body']);"),
        "CKEditor did not start",
    )
    editable = driver.find_element(By.CSS_SELECTOR, ".field-body .ck-editor__editable")
    editable.click()
    return editable


def editor_error(driver, failure):
    """The first error message the page shows above the editor."""
    return wait_until(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, ".field-body .editor-messages li.error"),
        failure,
    )[0]


def computed(driver, element, prop):
    return driver.execute_script(
        "return getComputedStyle(arguments[0]).getPropertyValue(arguments[1]);", element, prop
    )


def px(value):
    return float(value.removesuffix("px"))


def choose_heading(driver, title):
    driver.find_element(By.CSS_SELECTOR, ".ck-heading-dropdown > button").click()
    option = driver.find_element(
        By.XPATH,
        f"//*[contains(@class,'ck-heading-dropdown')]//button[normalize-space()='{title}']",
    )
    option.click()


def test_headings_look_like_headings_in_the_editing_area(browser, live_server):
    editable = open_article_form(browser, live_server)
    choose_heading(browser, "小标题")
    editable.send_keys("一、提高政治站位\n")
    choose_heading(browser, "三级标题")
    editable.send_keys("（一）深入学习\n")
    editable.send_keys("全区各校党组织认真组织学习。")

    heading2 = editable.find_element(By.TAG_NAME, "h2")
    heading3 = editable.find_element(By.TAG_NAME, "h3")
    paragraph = editable.find_element(By.TAG_NAME, "p")
    assert heading2.text == "一、提高政治站位"
    paragraph_size = px(computed(browser, paragraph, "font-size"))
    # The text as large as on the public article page, not the admin's small print.
    assert paragraph_size >= 16
    heading3_size = px(computed(browser, heading3, "font-size"))
    heading2_size = px(computed(browser, heading2, "font-size"))
    assert heading2_size > heading3_size > paragraph_size
    for heading in (heading2, heading3):
        assert int(computed(browser, heading, "font-weight")) >= 600
        assert px(computed(browser, heading, "margin-top")) > 0
        # Not the admin's blue module header (`.module h2`) the editing area sits in.
        assert computed(browser, heading, "text-transform") == "none"
        assert computed(browser, heading, "background-color") == "rgba(0, 0, 0, 0)"
    browser.save_screenshot("/tmp/editor-headings-1366.png")
    assert not severe_console_messages(browser)


def test_the_counter_counts_chinese_characters_as_they_are_typed(browser, live_server):
    editable = open_article_form(browser, live_server)
    counter = browser.find_element(By.CSS_SELECTOR, ".field-body .editor-char-count")
    assert counter.text == "字数：0"
    # CKEditor's own counter (单词数, 字符数) is gone: it counts a Chinese paragraph as one word.
    assert not browser.find_elements(By.CSS_SELECTOR, ".ck-word-count")

    editable.send_keys("学习二十大 精神\n全面从严治党")

    # Spaces and line breaks are not characters, as in a Chinese word processor's count.
    wait_until(browser, lambda d: counter.text == "字数：13", f"counter shows {counter.text}")
    editable.send_keys("\u3000！")
    wait_until(browser, lambda d: counter.text == "字数：14", f"counter shows {counter.text}")


def test_a_refused_picture_is_explained_on_the_page_not_in_an_alert(browser, live_server, tmp_path):
    not_a_picture = tmp_path / "活动照片.png"
    not_a_picture.write_text("这其实是一段文字", encoding="utf-8")
    open_article_form(browser, live_server)
    file_input = browser.find_element(By.CSS_SELECTOR, ".field-body .ck-toolbar input[type=file]")

    # The dialog offers the pictures the upload accepts, nothing else.
    accepted = file_input.get_attribute("accept").split(",")
    assert sorted(accepted) == ["image/gif", "image/jpeg", "image/png", "image/webp"]

    file_input.send_keys(str(not_a_picture))

    message = editor_error(browser, "the refusal was not shown on the page")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 (reading it is what fails)
    assert "文件不是有效的图片。只支持 JPEG、PNG、WebP、GIF 格式。" in message.text
    assert "上传失败" in message.text
    assert message.get_attribute("role") == "alert"
    # Nothing of the picture stays in the text.
    assert not browser.find_elements(By.CSS_SELECTOR, ".field-body .ck-editor__editable img")
    browser.save_screenshot("/tmp/editor-upload-refused-1366.png")

    message.find_element(By.CSS_SELECTOR, "button").click()

    assert not browser.find_elements(By.CSS_SELECTOR, ".field-body .editor-messages li")
    # The browser logs the refusal's status itself; nothing else went wrong.
    logged = [m["message"] for m in severe_console_messages(browser)]
    assert all("image_upload/" in m and "400" in m for m in logged), logged


@pytest.mark.parametrize("width", [1366, 390])
def test_the_title_field_holds_a_forty_character_title(browser, live_server, width):
    open_article_form(browser, live_server, width)
    title = browser.find_element(By.ID, "id_title")
    assert len(TITLE_40) == 40
    title.send_keys(TITLE_40)

    fits = browser.execute_script(
        "var el = arguments[0]; return [el.scrollWidth, el.clientWidth];", title
    )
    if width == 1366:
        assert fits[0] <= fits[1], f"the title scrolls inside its field: {fits}"
    # Inside its row: the admin's rows hide what overflows them, and scroll to the caret.
    inside = browser.execute_script(
        "var box = arguments[0].getBoundingClientRect();"
        "var row = arguments[0].closest('.form-row');"
        "var rowBox = row.getBoundingClientRect();"
        "return row.scrollLeft === 0 && box.left >= rowBox.left && box.right <= rowBox.right;",
        title,
    )
    assert inside, "the title field is wider than its row"
    scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll_width <= width + 1
    browser.save_screenshot(f"/tmp/editor-title-{width}.png")


def test_a_file_of_another_kind_is_named_not_silently_dropped(browser, live_server, tmp_path):
    bitmap = tmp_path / "校园一角.bmp"
    bitmap.write_bytes(samples.picture("BMP"))
    editable = open_article_form(browser, live_server)
    file_input = browser.find_element(By.CSS_SELECTOR, ".field-body .ck-toolbar input[type=file]")

    file_input.send_keys(str(bitmap))

    message = editor_error(browser, "the skipped file was not named")
    assert "“校园一角.bmp”没有上传：只能插入 JPEG、PNG、GIF、WebP 格式的图片。" in message.text
    assert not editable.find_elements(By.TAG_NAME, "img")
    assert not severe_console_messages(browser)
