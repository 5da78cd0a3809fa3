"""Schools, organisations, brands and awards: slugs, ordering and the rules editors rely on."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from brands.models import (
    Award,
    Brand,
    OrganizationKind,
    PartyOrganization,
    RecipientKind,
    School,
    Stage,
    pinyin_slug,
)
from tests.factories import (
    AwardFactory,
    BrandFactory,
    CampaignFactory,
    PartyOrganizationFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db


def test_pinyin_slug():
    assert pinyin_slug("青湾区第一小学") == "qing-wan-qu-di-yi-xiao-xue"
    assert pinyin_slug("2025年度最优党建品牌评选").startswith("2025-nian-du-")
    assert pinyin_slug("？？") == "item"


def test_school_slug_from_pinyin_unique_and_stable():
    first = SchoolFactory(name="青湾区实验小学")
    assert first.slug == "qing-wan-qu-shi-yan-xiao-xue"
    assert first.get_absolute_url() == "/schools/qing-wan-qu-shi-yan-xiao-xue/"
    # Another school whose name reads the same gets a suffix instead of a clash.
    second = SchoolFactory(name="青湾区实验晓学")
    assert second.slug == "qing-wan-qu-shi-yan-xiao-xue-2"
    # Renaming keeps the address that is already out there.
    first.name = "青湾区实验小学（本部）"
    first.save()
    first.refresh_from_db()
    assert first.slug == "qing-wan-qu-shi-yan-xiao-xue"


def test_schools_are_ordered_by_stage_then_name():
    SchoolFactory(name="乙高中", stage=Stage.SENIOR)
    SchoolFactory(name="甲小学", stage=Stage.PRIMARY)
    SchoolFactory(name="丙幼儿园", stage=Stage.KINDERGARTEN)
    SchoolFactory(name="丁小学", stage=Stage.PRIMARY)
    names = list(School.objects.values_list("name", flat=True))
    assert names[0] == "丙幼儿园"
    assert names[-1] == "乙高中"
    assert set(names[1:3]) == {"甲小学", "丁小学"}
    assert names[1:3] == sorted(names[1:3])


def test_only_a_joint_branch_may_cover_several_schools():
    branch = PartyOrganizationFactory(kind=OrganizationKind.BRANCH)
    SchoolFactory(party_organization=branch)
    second = SchoolFactory.build(party_organization=branch, name="第二所学校", stage=20, town="镇")
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "联合党支部" in str(error.value)

    joint = PartyOrganizationFactory(kind=OrganizationKind.JOINT_BRANCH)
    SchoolFactory(party_organization=joint)
    other = SchoolFactory.build(party_organization=joint, name="第三所学校", stage=10, town="镇")
    other.full_clean()  # no error
    other.save()
    assert joint.schools.count() == 2
    # And the organisation itself cannot be turned into a plain branch while it covers two.
    joint.kind = OrganizationKind.BRANCH
    with pytest.raises(ValidationError):
        joint.full_clean()


def test_one_current_brand_per_school_saving_a_new_one_demotes_the_old():
    old = BrandFactory(name="园丁先锋")
    new = BrandFactory(school=old.school, name="红烛先锋", is_current=True)
    new.full_clean()  # the model form path must not reject becoming current
    old.refresh_from_db()
    assert not old.is_current
    assert list(Brand.objects.filter(school=old.school).current()) == [new]


def test_one_current_brand_per_school_is_enforced_by_the_database():
    old = BrandFactory(name="园丁先锋")
    new = BrandFactory(school=old.school, name="红烛先锋", is_current=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Brand.objects.filter(pk=new.pk).update(is_current=True)


def test_brand_names_are_unique_within_a_school():
    brand = BrandFactory(name="红烛先锋")
    duplicate = Brand(school=brand.school, name="红烛先锋", is_current=False)
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def _award(**fields):
    base = {
        "title": "优秀共产党员",
        "category": "member",
        "level": 40,
        "awarded_on": "2025-06-28",
        "issuing_body": "局党委",
    }
    return Award(**{**base, **fields})


def test_award_needs_exactly_one_recipient_kind():
    school = SchoolFactory()
    brand = BrandFactory(school=school)
    organization = school.party_organization

    _award(recipient_kind=RecipientKind.SCHOOL, school=school).full_clean()
    _award(recipient_kind=RecipientKind.BRAND, brand=brand).full_clean()
    _award(recipient_kind=RecipientKind.ORGANIZATION, organization=organization).full_clean()
    _award(recipient_kind=RecipientKind.PERSON, person_name="林晓岚", school=school).full_clean()

    bad = [
        (_award(recipient_kind=RecipientKind.SCHOOL), "school"),
        (_award(recipient_kind=RecipientKind.SCHOOL, school=school, brand=brand), "brand"),
        (_award(recipient_kind=RecipientKind.PERSON, school=school), "person_name"),
        (_award(recipient_kind=RecipientKind.PERSON, person_name="林晓岚"), "school"),
        (_award(recipient_kind=RecipientKind.BRAND), "brand"),
        (
            _award(recipient_kind=RecipientKind.ORGANIZATION, organization=organization,
                   school=school),
            "school",
        ),
        (
            _award(recipient_kind=RecipientKind.BRAND, brand=brand, school=SchoolFactory()),
            "school",
        ),
    ]  # fmt: skip
    for award, field in bad:
        with pytest.raises(ValidationError) as error:
            award.full_clean()
        assert field in error.value.message_dict, (award.recipient_kind, field)


def test_brand_award_takes_its_school_from_the_brand():
    brand = BrandFactory()
    award = _award(recipient_kind=RecipientKind.BRAND, brand=brand)
    award.save()
    assert award.school == brand.school
    assert award.recipient_label == f"{brand.school.name}“{brand.name}”"


def test_person_award_shows_name_and_school_only():
    school = SchoolFactory(name="青湾区临江小学")
    award = AwardFactory(recipient_kind=RecipientKind.PERSON, person_name="陈海燕", school=school)
    assert award.recipient_label == "陈海燕（青湾区临江小学）"
    assert str(award).endswith("陈海燕（青湾区临江小学）")


def test_campaign_results_need_rank_or_grade():
    school = SchoolFactory()
    ranked = CampaignFactory(result_type="ranked")
    with pytest.raises(ValidationError) as error:
        _award(recipient_kind="school", school=school, campaign=ranked).full_clean()
    assert "rank" in error.value.message_dict
    _award(recipient_kind="school", school=school, campaign=ranked, rank=1).full_clean()

    graded = CampaignFactory(result_type="graded", grades="一等奖\n二等奖")
    with pytest.raises(ValidationError) as error:
        _award(recipient_kind="school", school=school, campaign=graded, grade="特等奖").full_clean()
    assert "一等奖、二等奖" in str(error.value.message_dict["grade"])
    _award(recipient_kind="school", school=school, campaign=graded, grade="二等奖").full_clean()


def test_awards_of_a_campaign_stay_hidden_until_its_notice_begins():
    selecting = CampaignFactory(notice_start=None, notice_end=None)
    hidden = AwardFactory(campaign=selecting, rank=1)
    shown = AwardFactory()
    finished = AwardFactory(campaign=CampaignFactory(), rank=1)
    assert set(Award.objects.public()) == {shown, finished}
    assert hidden not in Award.objects.public()


def test_awards_for_a_school_include_its_brands_people_and_organisation():
    school = SchoolFactory()
    brand = BrandFactory(school=school)
    mine = [
        AwardFactory(school=school),
        AwardFactory(recipient_kind="brand", brand=brand, school=None),
        AwardFactory(recipient_kind="person", person_name="周文博", school=school),
        AwardFactory(
            recipient_kind="organization", organization=school.party_organization, school=None
        ),
    ]
    AwardFactory()  # another school's
    assert set(Award.objects.for_school(school)) == set(mine)


def test_str_of_every_model():
    organization = PartyOrganizationFactory(name="中共测试小学支部委员会")
    school = SchoolFactory(name="测试小学", party_organization=organization)
    brand = BrandFactory(school=school, name="红烛先锋")
    campaign = CampaignFactory(title="2025年度最优党建品牌评选")
    assert str(organization) == "中共测试小学支部委员会"
    assert str(school) == "测试小学"
    assert str(brand) == "红烛先锋"
    assert brand.quoted_name == "“红烛先锋”"
    assert str(campaign) == "2025年度最优党建品牌评选"
    assert isinstance(PartyOrganization.objects.with_schools().get(), PartyOrganization)
