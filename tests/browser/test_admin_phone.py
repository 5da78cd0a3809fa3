"""The admin on a 390 px phone, as each role sees it (school correspondents submit from phones):
the article list, the article form and the school and brand forms never scroll sideways, and
the list keeps a readable title column by leaving out the columns a phone has no room for."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from news import workflow
from tests.factories import (
    ArticleFactory,
    BrandFactory,
    RoleUserFactory,
    SchoolFactory,
    SiteSettingsFactory,
    SuperuserFactory,
)

from .conftest import admin_login, set_width, severe_console_messages, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
PHONE = 390
TITLE = "区教育系统开展“学习二十大、永远跟党走、奋进新征程”主题党日活动暨党员教师志愿服务启动仪式"
# What a pasted article brings: a long address and a table wider than a phone.
BODY = (
    "<p>活动通知全文见 https://www.example.edu.cn/notice/2026/12/qingwan-district-party-building"
    "-education-system-volunteer-service-launch-ceremony.html</p>"
    "<table><tr><th>学校</th><th>参加党员</th><th>服务时长</th><th>服务内容</th><th>负责人</th></tr>"
    "<tr><td>青湾区启明幼儿园</td><td>18人</td><td>36小时</td><td>社区共建、家访、课后服务</td>"
    "<td>王晓岚</td></tr></table>"
)
# The columns a phone keeps, besides the action checkbox (for those who have actions).
PHONE_COLUMNS = ["标题", "状态"]


def assert_no_sideways_scroll(driver, page):
    scroll_width = driver.execute_script("return document.documentElement.scrollWidth")
    assert scroll_width <= PHONE + 1, f"{page} scrolls sideways: {scroll_width} px"


@pytest.fixture
def newsroom():
    """A school with a brand and articles in every role's view, and one account per role."""
    SiteSettingsFactory(review_levels=1)
    school = SchoolFactory(name="青湾区启明幼儿园党建工作示范点（第一批区级党建品牌培育单位）")
    brand = BrandFactory(school=school, name="红烛先锋·党员教师志愿服务品牌")
    users = {
        "admin": SuperuserFactory(username="admin"),
        "editor": RoleUserFactory(username="editor", roles=["编辑"]),
        "reviewer": RoleUserFactory(username="reviewer", roles=["审核员"], review_levels=[1]),
        "correspondent": RoleUserFactory(
            username="correspondent", roles=["学校通讯员"], schools=[school]
        ),
    }
    articles = {}
    for role in ("admin", "editor", "correspondent"):
        article = ArticleFactory(title=TITLE, body=BODY, status="draft", created_by=users[role])
        article.schools.add(school)
        articles[role] = article
    waiting = ArticleFactory(title=TITLE, body=BODY, status="draft", created_by=users["editor"])
    workflow.perform("submit", waiting, users["editor"])
    articles["reviewer"] = waiting
    for number in range(5):
        ArticleFactory(title=f"{TITLE}（第{number}篇）", created_by=users["editor"])
    return school, brand, articles


@pytest.mark.parametrize("role", ["admin", "editor", "reviewer", "correspondent"])
def test_the_admin_fits_a_phone_for_every_role(browser, live_server, newsroom, role):
    school, brand, articles = newsroom
    admin_login(browser, live_server, role, PASSWORD)
    set_width(browser, PHONE, 900)

    browser.get(live_server.url + reverse("admin:news_article_changelist"))
    assert_no_sideways_scroll(browser, "the article list")
    headers = [
        th.text
        for th in browser.find_elements(By.CSS_SELECTOR, "#result_list thead th")
        if th.is_displayed() and th.text
    ]
    assert headers == PHONE_COLUMNS
    width, em = browser.execute_script(
        "var link = document.querySelector('#result_list tbody .field-title a');"
        "return [link.getBoundingClientRect().width, parseFloat(getComputedStyle(link).fontSize)];"
    )
    assert width >= 12 * em, f"the title column is {width / em:.1f} em wide"
    browser.save_screenshot(f"/tmp/admin-phone-{role}-article-list.png")

    pages = {
        "article-form": reverse("admin:news_article_change", args=[articles[role].pk]),
        "school-form": reverse("admin:brands_school_change", args=[school.pk]),
        "brand-form": reverse("admin:brands_brand_change", args=[brand.pk]),
    }
    for page, url in pages.items():
        browser.get(live_server.url + url)
        # The form itself, not a refusal.
        assert browser.find_elements(By.CSS_SELECTOR, "#content-main form"), page
        if page == "article-form" and role != "reviewer":
            wait_until(
                browser,
                lambda d: d.find_elements(By.CSS_SELECTOR, ".field-body .ck-editor__editable"),
                "CKEditor did not start",
            )
        assert_no_sideways_scroll(browser, page)
        if page == "article-form":
            # Below the form: beside the floated form, its header colour showed behind it.
            below = browser.execute_script(
                "return document.querySelector('.workflow-timeline').getBoundingClientRect().top"
                " >= document.getElementById('content-main').getBoundingClientRect().bottom;"
            )
            assert below, "the workflow timeline sits beside the form, not below it"
        browser.save_screenshot(f"/tmp/admin-phone-{role}-{page}.png")
    assert not severe_console_messages(browser)


def test_a_wide_screen_keeps_every_column(browser, live_server, newsroom):
    admin_login(browser, live_server, "admin", PASSWORD)
    set_width(browser, 1366, 900)
    browser.get(live_server.url + reverse("admin:news_article_changelist"))
    headers = [
        th.text
        for th in browser.find_elements(By.CSS_SELECTOR, "#result_list thead th")
        if th.is_displayed()
    ]
    assert headers[:4] == ["", "标题", "栏目", "状态"]
    assert "浏览次数" in headers
