"""一次添加多张照片: three photos chosen at once become three gallery rows of the brand form, each
going through the formset; a correspondent's wait for review, a publisher's apply at once."""

import pytest
from django.urls import reverse
from PIL import Image
from selenium.webdriver.common.by import By

from brands.models import Brand
from news.models import ProfileChange
from tests.factories import BrandFactory, BrandImageFactory, RoleUserFactory, SchoolFactory

from .conftest import admin_login, severe_console_messages, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
CAPTIONS = ["升旗仪式", "党员先锋岗", "志愿服务"]


def photos(folder):
    paths = []
    for number, (image_format, colour) in enumerate(
        [("JPEG", "red"), ("PNG", "green"), ("JPEG", "blue")], start=1
    ):
        path = folder / f"活动照片{number}.{image_format.lower().replace('jpeg', 'jpg')}"
        Image.new("RGB", (64, 48), colour).save(path, image_format)
        paths.append(path)
    return paths


def choose_three_photos_and_save(browser, live_server, brand, folder):
    browser.get(live_server.url + reverse("admin:brands_brand_change", args=[brand.pk]))
    rows_before = len(browser.find_elements(By.CSS_SELECTOR, "#images-group tr.has_original"))
    chooser = browser.find_element(By.ID, "id_images-multiple")
    assert chooser.get_attribute("multiple") is not None
    assert chooser.get_attribute("accept").startswith("image/")
    chooser.send_keys("\n".join(str(path) for path in photos(folder)))

    rows = [
        row
        for row in browser.find_elements(By.CSS_SELECTOR, "#images-group tr.form-row")
        if "has_original" not in row.get_attribute("class")
        and row.get_attribute("id") != "images-empty"
    ]
    chosen = [
        browser.execute_script(
            "return Array.from(arguments[0].files).map(f => f.name);",
            row.find_element(By.CSS_SELECTOR, "input[type=file]"),
        )
        for row in rows
    ]
    assert chosen == [["活动照片1.jpg"], ["活动照片2.png"], ["活动照片3.jpg"]]
    # Each row shows its photo, so the caption is written for the right one.
    wait_until(
        browser,
        lambda d: all(row.find_elements(By.CSS_SELECTOR, "img.picture-preview") for row in rows),
        "the chosen photos are not shown",
    )
    status = browser.find_element(By.CSS_SELECTOR, ".gallery-upload__status").text
    assert status.startswith("已添加 3 张照片")
    # The first new row's caption is where the user goes on.
    first_caption = rows[0].find_element(By.CSS_SELECTOR, "input[name$='-caption']")
    assert browser.switch_to.active_element == first_caption
    for row, caption in zip(rows, CAPTIONS, strict=True):
        row.find_element(By.CSS_SELECTOR, "input[name$='-caption']").send_keys(caption)
    assert rows_before == 1
    browser.find_element(By.NAME, "_save").click()
    wait_until(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "ul.messagelist li"),
        "the brand was not saved",
    )
    assert not browser.find_elements(By.CSS_SELECTOR, ".errornote")
    assert not severe_console_messages(browser)


@pytest.fixture
def brand(db):
    school = SchoolFactory()
    brand = BrandFactory(school=school, name="红烛先锋")
    BrandImageFactory(brand=brand, caption="已有的照片", order=5)
    return brand


def test_a_correspondents_three_photos_wait_for_review(browser, live_server, brand, tmp_path):
    RoleUserFactory(username="tongxunyuan", roles=["学校通讯员"], schools=[brand.school])
    admin_login(browser, live_server, "tongxunyuan", PASSWORD)
    choose_three_photos_and_save(browser, live_server, brand, tmp_path)

    assert Brand.objects.get(pk=brand.pk).images.count() == 1  # the public gallery unchanged
    gallery = ProfileChange.objects.get(brand=brand).content["images"]
    assert [item["caption"] for item in gallery] == ["已有的照片", *CAPTIONS]
    assert [item["order"] for item in gallery] == [5, 6, 7, 8]
    assert all(item["image"].startswith("brands/gallery/") for item in gallery)


def test_a_publishers_three_photos_apply_at_once(browser, live_server, brand, tmp_path):
    RoleUserFactory(username="quju", roles=["编辑", "审核员"], review_levels=[1])
    admin_login(browser, live_server, "quju", PASSWORD)
    choose_three_photos_and_save(browser, live_server, brand, tmp_path)

    images = list(Brand.objects.get(pk=brand.pk).images.all())
    assert [image.caption for image in images] == ["已有的照片", *CAPTIONS]
    formats = []
    for image in images[1:]:
        assert image.image.name.startswith("brands/gallery/")
        with Image.open(image.image) as stored:
            formats.append(stored.format)
    assert formats == ["JPEG", "PNG", "JPEG"]
    assert not ProfileChange.objects.filter(brand=brand).exists()


def test_no_more_rows_than_the_inline_allows(browser, live_server, brand, tmp_path, monkeypatch):
    from brands.admin import BrandImageInline

    monkeypatch.setattr(BrandImageInline, "max_num", 2)
    RoleUserFactory(username="quju", roles=["编辑", "审核员"], review_levels=[1])
    admin_login(browser, live_server, "quju", PASSWORD)
    browser.get(live_server.url + reverse("admin:brands_brand_change", args=[brand.pk]))
    chooser = browser.find_element(By.ID, "id_images-multiple")
    chooser.send_keys("\n".join(str(path) for path in photos(tmp_path)))

    files = browser.execute_script(
        "return Array.from(document.querySelectorAll('#images-group tr.form-row:not(.empty-form)"
        " input[type=file][name]')).map(i => i.files.length);"
    )
    assert sorted(files) == [0, 1]  # the saved photo's row and one new row, the limit
    status = browser.find_element(By.CSS_SELECTOR, ".gallery-upload__status").text
    assert status == "已添加 1 张；已到图片数量上限，另外 2 张没有添加。"
