"""The public pages: status, key content, filters, 404s and forgiving query strings."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from brands.models import Stage
from tests.factories import (
    ArticleFactory,
    AwardFactory,
    BrandFactory,
    BrandImageFactory,
    CampaignFactory,
    PartyOrganizationFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_navigation_links_to_every_brands_page(client):
    html = html_of(client, reverse("brands:stats"))
    for name, label in [
        ("school_list", "学校"),
        ("brand_list", "党建品牌"),
        ("award_list", "荣誉表彰"),
        ("stats", "数据统计"),
    ]:
        assert f'href="{reverse(f"brands:{name}")}"' in html
        assert f">{label}</a>" in html


# --- School directory -----------------------------------------------------------------------


def test_school_directory_cards_show_stage_organisation_and_current_brand(client):
    organization = PartyOrganizationFactory(kind=20)  # 党总支
    school = SchoolFactory(
        name="青湾区实验小学", stage=Stage.PRIMARY, party_organization=organization
    )
    BrandFactory(school=school, name="园丁先锋", is_current=False)
    BrandFactory(school=school, name="红烛先锋", is_current=True)
    SchoolFactory(name="青湾区启明幼儿园", stage=Stage.KINDERGARTEN, ownership="private")
    html = html_of(client, "/schools/")
    assert "<h1" in html and ">学校</h1>" in html
    assert school.get_absolute_url() in html
    assert "党总支" in html
    assert "“红烛先锋”" in html
    assert "园丁先锋" not in html
    assert "民办" in html
    assert html.index("青湾区启明幼儿园") < html.index("青湾区实验小学")  # by stage


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?stage=30", "初中甲", "小学乙"),
        ("?town=白沙镇", "小学乙", "初中甲"),
        ("?group=文昌教育集团", "初中甲", "小学乙"),
        ("?stage=20&town=白沙镇", "小学乙", "初中甲"),
    ],
)
def test_school_directory_filters(client, query, shown, hidden):
    SchoolFactory(
        name="初中甲", stage=Stage.JUNIOR, town="文昌街道", education_group="文昌教育集团"
    )
    SchoolFactory(name="小学乙", stage=Stage.PRIMARY, town="白沙镇")
    html = html_of(client, "/schools/" + query)
    assert f">{shown}</a>" in html
    assert f">{hidden}</a>" not in html


def test_school_directory_paginates(client):
    for number in range(30):
        SchoolFactory(name=f"学校{number:02d}")
    first = html_of(client, "/schools/")
    assert first.count('class="card school-card"') == 24
    assert "共 30 所学校" in first
    second = html_of(client, "/schools/?page=2")
    assert second.count('class="card school-card"') == 6


# --- School page ----------------------------------------------------------------------------


def test_school_page_shows_profile_organisation_brand_news_and_honours(client):
    joint = PartyOrganizationFactory(
        name="中共镇街幼儿园联合支部委员会", kind=40, secretary="李春梅"
    )
    school = SchoolFactory(
        name="白沙镇中心幼儿园",
        stage=Stage.KINDERGARTEN,
        introduction="学校创办于1998年。\n\n坚持党建引领。",
        party_organization=joint,
    )
    partner = SchoolFactory(name="莲塘镇中心幼儿园", party_organization=joint)
    brand = BrandFactory(school=school, name="童心向党", slogan="从小听党话")
    AwardFactory(school=school, title="2024年度示范幼儿园", awarded_on="2024-06-01")
    AwardFactory(
        recipient_kind="person", school=school, person_name="赵玉兰", title="优秀共产党员",
        awarded_on="2025-06-28",
    )  # fmt: skip
    article = ArticleFactory(title="白沙镇中心幼儿园开展主题党日活动")
    article.schools.add(school)
    draft = ArticleFactory(title="还没发布的稿件", draft=True)
    draft.schools.add(school)

    html = html_of(client, school.get_absolute_url())
    assert "<h1" in html and "白沙镇中心幼儿园</h1>" in html
    assert "<p>学校创办于1998年。</p>" in html
    assert "联合党支部" in html and "李春梅" in html
    assert partner.get_absolute_url() in html  # the joint branch's other school
    assert brand.get_absolute_url() in html and "从小听党话" in html
    assert "白沙镇中心幼儿园开展主题党日活动" in html
    assert article.get_absolute_url() in html
    assert "还没发布的稿件" not in html
    assert "2024年度示范幼儿园" in html and "赵玉兰" in html
    assert html.index("2025年</h3>") < html.index("2024年</h3>")  # newest year first
    assert 'aria-label="当前位置"' in html  # breadcrumbs


def test_school_page_without_organisation_or_brand(client):
    school = SchoolFactory(party_organization=None)
    html = html_of(client, school.get_absolute_url())
    assert "暂无党组织信息" in html
    assert "暂无党建品牌" in html
    assert "暂无荣誉记录" in html


# --- Brand gallery and brand page -------------------------------------------------------------


def test_brand_gallery_cards_and_filters(client):
    named = BrandFactory(name="红烛先锋", kind="organization", status=30, slogan="照亮童心")
    pioneer = BrandFactory(name="晨光先锋", kind="pioneer", status=10)
    html = html_of(client, "/brands/")
    assert "“红烛先锋”" in html and "照亮童心" in html and named.school.name in html
    assert "“晨光先锋”" in html
    assert html.index("红烛先锋") < html.index("晨光先锋")  # named brands first

    html = html_of(client, "/brands/?kind=pioneer")
    assert pioneer.get_absolute_url() in html and named.get_absolute_url() not in html
    html = html_of(client, "/brands/?status=30")
    assert named.get_absolute_url() in html and pioneer.get_absolute_url() not in html


def test_brand_page_shows_every_section_gallery_news_and_honours(client):
    brand = BrandFactory(
        name="红烛先锋",
        slogan="燃烧自己，照亮童心",
        logo_alt="一支红烛托起一本书",
        logo=BrandImageFactory.build().image,
        logo_meaning="红色代表党的领导。",
        concept="党员教师当先锋。",
        mechanism="书记牵头负责。",
        carriers="示范岗和主题党日。",
        results="多名党员获评先进。",
        founded_year=2019,
    )
    BrandImageFactory(brand=brand, caption="护学岗志愿服务", order=2)
    BrandImageFactory(brand=brand, caption="主题党日活动", order=1)
    AwardFactory(recipient_kind="brand", brand=brand, school=None, title="最优党建品牌")
    AwardFactory(school=brand.school, title="学校获得的示范校")
    AwardFactory(recipient_kind="person", school=brand.school, person_name="王建华",
                 title="个人荣誉不在品牌页")  # fmt: skip
    article = ArticleFactory(title="红烛先锋品牌建设纪实", brand=brand)

    html = html_of(client, brand.get_absolute_url())
    assert "“红烛先锋”</h1>" in html
    for heading in ["标识释义", "品牌内涵", "工作机制", "活动载体", "成效与影响", "活动图集"]:
        assert f">{heading}</h2>" in html
    for text in ["红色代表党的领导。", "党员教师当先锋。", "书记牵头负责。", "示范岗和主题党日。"]:
        assert text in html
    assert 'alt="一支红烛托起一本书"' in html
    assert "<figcaption>主题党日活动</figcaption>" in html
    assert html.index("主题党日活动") < html.index("护学岗志愿服务")  # gallery order
    assert article.get_absolute_url() in html
    assert "最优党建品牌" in html and "学校获得的示范校" in html
    assert "个人荣誉不在品牌页" not in html
    assert brand.school.get_absolute_url() in html


# --- Honours and statistics -----------------------------------------------------------------


def test_awards_page_groups_by_campaign_and_filters(client):
    campaign = CampaignFactory(title="2025年度最优党建品牌评选")
    school_a = SchoolFactory(name="甲校")
    school_b = SchoolFactory(name="乙校")
    AwardFactory(campaign=campaign, rank=2, school=school_b, awarded_on="2025-12-20",
                 level=50, category="best_brand", title="最优品牌B")  # fmt: skip
    AwardFactory(campaign=campaign, rank=1, school=school_a, awarded_on="2025-12-20",
                 level=50, category="best_brand", title="最优品牌A")  # fmt: skip
    AwardFactory(school=school_a, awarded_on="2024-05-04", level=30, category="model_school",
                 title="市级示范校")  # fmt: skip

    html = html_of(client, "/awards/")
    assert campaign.get_absolute_url() in html
    assert html.index("2025年度最优党建品牌评选") < html.index("2024年其他荣誉")
    assert html.index("最优品牌A") < html.index("最优品牌B")  # rank order inside the group

    assert "市级示范校" not in html_of(client, "/awards/?year=2025")
    assert "最优品牌A" not in html_of(client, "/awards/?year=2024")
    assert "市级示范校" in html_of(client, "/awards/?level=30")
    assert "最优品牌A" not in html_of(client, "/awards/?category=model_school")
    by_school = html_of(client, f"/awards/?school={school_b.slug}")
    assert "最优品牌B" in by_school and "最优品牌A" not in by_school


def test_awards_page_lists_campaigns_in_their_notice_window(client):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    CampaignFactory(
        title="正在公示的评选",
        result_type="unranked",
        notice_start=today,
        notice_end=today + datetime.timedelta(days=8),
    )
    html = html_of(client, "/awards/")
    assert "评选动态" in html and "正在公示的评选" in html and "公示中" in html


def test_stats_page_counts_with_svg_charts_and_tables(client):
    SchoolFactory(stage=Stage.PRIMARY, party_organization=PartyOrganizationFactory(kind=10))
    SchoolFactory(stage=Stage.PRIMARY)
    SchoolFactory(stage=Stage.SENIOR)
    BrandFactory(status=30)
    AwardFactory(awarded_on="2024-03-01", level=10)
    AwardFactory(awarded_on="2025-03-01", level=40)
    AwardFactory(awarded_on="2025-04-01", level=40)
    html = html_of(client, "/stats/")
    assert html.count("<svg") == 4
    assert html.count("<table") == 4
    assert 'role="img"' in html
    assert "<script" not in html.split("<main", 1)[1]
    # Schools by stage: 3 created here + 1 for the brand + 3 for the awards.
    assert '<th scope="row">小学</th><td>6</td>' in html
    assert '<th scope="row">高中</th><td>1</td>' in html
    assert '<th scope="row">党委</th><td>1</td>' in html
    assert '<th scope="row">已命名</th><td>1</td>' in html
    assert '<th scope="row">2025年</th><td>0</td><td>0</td><td>0</td><td>2</td><td>0</td>' in html
    assert "3</span> 项荣誉" in html


# --- Not found and bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/schools/no-such-school/", "/brands/no-such-brand/", "/awards/campaigns/no-such-campaign/"],
)
def test_unknown_slugs_give_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?stage=abc",
        "?stage=999",
        "?page=-1",
        "?page=abc",
        "?page=99999",
        "?kind=<script>",
        "?status=1e9",
        "?year=abc",
        "?year=99999999999999999999",
        "?level=x&category=y&school=z",
        "?school=%E2%80%AE",
        "?stage=20&stage=abc",
    ],
)
@pytest.mark.parametrize("path", ["/schools/", "/brands/", "/awards/", "/stats/"])
def test_garbage_query_strings_never_give_an_error(client, path, query):
    SchoolFactory()
    response = client.get(path + query)
    assert response.status_code == 200
    assert "<h1" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/schools/?stage=abc", "/brands/?kind=%3Cscript%3E", "/awards/?year=abc", "/awards/?level=9"],
)
def test_invalid_filter_values_are_ignored_with_a_note(client, url):
    school = SchoolFactory(name="仍然显示的学校")
    BrandFactory(school=school, name="仍然显示")
    AwardFactory(school=school, title="仍然显示的荣誉")
    html = html_of(client, url)
    assert "部分筛选条件无效，已忽略" in html
    assert "仍然显示" in html
    assert "<script>" not in html


def test_sitemap_lists_schools_brands_and_campaigns(client):
    brand = BrandFactory()
    campaign = CampaignFactory()
    cache.clear()  # the site map is cached
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    for obj in (brand.school, brand, campaign):
        assert obj.get_absolute_url() in xml
