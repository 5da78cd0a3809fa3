"""Demo district, schools part: 青湾区 with 30 schools, their party organisations, brands,
three years of honours and two evaluations. Every name and sentence here was written for this
project; the people are invented. Pictures are drawn by ``portal.demo_images``.

``load`` does nothing when schools already exist, so ``load_demo`` can run any number of times.
"""

import datetime
import random

from django.utils import timezone

from portal.demo_images import demo_picture

from .models import (
    Award,
    AwardCategory,
    AwardLevel,
    Brand,
    BrandImage,
    BrandKind,
    BrandStatus,
    Campaign,
    OrganizationKind,
    Ownership,
    PartyOrganization,
    RecipientKind,
    ResultType,
    School,
    Stage,
)

DISTRICT = "青湾区"
BUREAU_COMMITTEE = "中共青湾区教育局委员会"
GROUP_SHIYAN = "青湾实验教育集团"
GROUP_WENCHANG = "文昌教育集团"
GROUP_LINJIANG = "临江教育集团"

K, P, J, N, H, C, V, S = (
    Stage.KINDERGARTEN,
    Stage.PRIMARY,
    Stage.JUNIOR,
    Stage.NINE_YEAR,
    Stage.SENIOR,
    Stage.COMPLETE,
    Stage.VOCATIONAL,
    Stage.SPECIAL,
)
COMMITTEE, GENERAL, BRANCH = (
    OrganizationKind.COMMITTEE,
    OrganizationKind.GENERAL_BRANCH,
    OrganizationKind.BRANCH,
)

# name, short name, stage, private?, town, education group, organisation kind (None: joint branch)
SCHOOLS = [
    ("青湾区机关幼儿园", "区机关幼儿园", K, False, "文昌街道", "", BRANCH),
    ("青湾区白沙镇中心幼儿园", "白沙中心幼儿园", K, False, "白沙镇", "", None),
    ("青湾区莲塘镇中心幼儿园", "莲塘中心幼儿园", K, False, "莲塘镇", "", None),
    ("青湾区启明幼儿园", "启明幼儿园", K, True, "临江街道", "", BRANCH),
    ("青湾区实验小学", "实验小学", P, False, "文昌街道", GROUP_SHIYAN, GENERAL),
    ("青湾区文昌小学", "文昌小学", P, False, "文昌街道", GROUP_WENCHANG, BRANCH),
    ("青湾区临江小学", "临江小学", P, False, "临江街道", GROUP_LINJIANG, BRANCH),
    ("青湾区青湾街道中心小学", "青湾中心小学", P, False, "青湾街道", "", BRANCH),
    ("青湾区白沙镇中心小学", "白沙中心小学", P, False, "白沙镇", "", BRANCH),
    ("青湾区石岗镇中心小学", "石岗中心小学", P, False, "石岗镇", "", BRANCH),
    ("青湾区莲塘镇中心小学", "莲塘中心小学", P, False, "莲塘镇", "", BRANCH),
    ("青湾区榕荫小学", "榕荫小学", P, False, "青湾街道", GROUP_SHIYAN, BRANCH),
    ("青湾区滨江小学", "滨江小学", P, False, "临江街道", GROUP_LINJIANG, BRANCH),
    ("青湾区博雅小学", "博雅小学", P, True, "文昌街道", "", BRANCH),
    ("青湾区第一中学", "区一中", J, False, "文昌街道", GROUP_WENCHANG, GENERAL),
    ("青湾区第二中学", "区二中", J, False, "青湾街道", "", BRANCH),
    ("青湾区临江中学", "临江中学", J, False, "临江街道", GROUP_LINJIANG, BRANCH),
    ("青湾区白沙镇中学", "白沙镇中学", J, False, "白沙镇", "", BRANCH),
    ("青湾区石岗镇中学", "石岗镇中学", J, False, "石岗镇", "", BRANCH),
    ("青湾区莲塘镇中学", "莲塘镇中学", J, False, "莲塘镇", "", BRANCH),
    ("青湾区实验学校", "实验学校", N, False, "青湾街道", GROUP_SHIYAN, GENERAL),
    ("青湾区新河学校", "新河学校", N, False, "石岗镇", "", BRANCH),
    ("青湾区外国语学校", "外国语学校", N, True, "临江街道", "", BRANCH),
    ("青湾区第一高级中学", "区一高", H, False, "文昌街道", "", COMMITTEE),
    ("青湾区临江高级中学", "临江高中", H, False, "临江街道", GROUP_LINJIANG, COMMITTEE),
    ("青湾区华清高级中学", "华清高中", H, True, "青湾街道", "", BRANCH),
    ("青湾区青湾中学", "青湾中学", C, False, "青湾街道", "", COMMITTEE),
    ("青湾区白沙中学", "白沙中学", C, False, "白沙镇", "", GENERAL),
    ("青湾区职业技术学校", "区职校", V, False, "莲塘镇", "", COMMITTEE),
    ("青湾区特殊教育学校", "区特校", S, False, "文昌街道", "", BRANCH),
]

JOINT_BRANCH = "中共青湾区镇街幼儿园联合支部委员会"
KIND_SUFFIX = {COMMITTEE: "委员会", GENERAL: "总支部委员会", BRANCH: "支部委员会"}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯许邓曹彭曾"
GIVEN_NAMES = [
    "晓岚", "建华", "丽萍", "志远", "海燕", "文博", "秀琴", "国栋", "雅婷", "明辉",
    "春梅", "立新", "静怡", "振宇", "慧敏", "永强", "佳琪", "德胜", "玉兰", "子轩",
]  # fmt: skip

STREETS = ["文昌路", "临江大道", "青湾路", "榕荫街", "白沙大道", "石岗路", "莲塘街", "新河路"]

# school, name, kind, status, year, slogan, what the brand is about, logo idea
BRANDS = [
    ("青湾区实验小学", "红烛先锋", "organization", "named", 2019,
     "燃烧自己，照亮童心", "党员教师在教书育人一线当先锋", "一支红烛托起一本打开的书"),
    ("青湾区文昌小学", "文心向党", "organization", "named", 2020,
     "以文化人，以心育心", "用书香校园建设凝聚党员和师生", "毛笔笔尖汇成一面红旗"),
    ("青湾区临江小学", "江畔红帆", "organization", "building", 2022,
     "同舟共济，扬帆启航", "依托临江区位开展家校社协同育人", "江面上一叶红色风帆"),
    ("青湾区第一中学", "初心课堂", "organization", "named", 2018,
     "每一堂课都是初心的答卷", "把党员示范课作为提升质量的抓手", "课桌与党徽组成的同心圆"),
    ("青湾区实验学校", "九年同心", "organization", "building", 2021,
     "九年一贯，同心育人", "小学部与初中部党员共建一体化育人链", "九道弧线围成一颗红心"),
    ("青湾区第一高级中学", "青峰领航", "organization", "named", 2017,
     "登高望远，领航青春", "党员导师带领学生做好生涯规划", "一座青色山峰上飘扬红旗"),
    ("青湾区青湾中学", "湾区星火", "organization", "named", 2019,
     "星星之火，照亮成长路", "党员教师结对帮扶学业困难学生", "海湾上方一簇跳动的火苗"),
    ("青湾区职业技术学校", "匠心铸魂", "organization", "named", 2018,
     "技能报国，匠心筑梦", "把党建融入产教融合和技能培养", "齿轮环绕着一颗五角星"),
    ("青湾区特殊教育学校", "暖阳护航", "organization", "building", 2021,
     "让每个孩子都被温暖照亮", "党员教师为特殊儿童送教上门", "一轮暖阳托起两只小手"),
    ("青湾区机关幼儿园", "童心向党", "organization", "cultivating", 2023,
     "从小听党话，快乐向未来", "用儿童喜闻乐见的方式开展启蒙教育", "一颗红星和一朵向日葵"),
    ("青湾区临江高级中学", "潮头先锋", "organization", "building", 2022,
     "勇立潮头，敢为人先", "党员教师牵头攻关课堂改革难题", "浪花托举一面党旗"),
    ("青湾区白沙中学", "沙洲灯塔", "organization", "cultivating", 2023,
     "做学生身边的一盏灯", "乡镇学校党员教师守护留守儿童", "沙洲上的一座红色灯塔"),
    ("青湾区石岗镇中心小学", "石岗青松", "organization", "cultivating", 2024,
     "扎根山乡，四季常青", "乡村党员教师扎根一线长期从教", "岩石缝里长出的一棵青松"),
    ("青湾区第二中学", "晨光先锋", "pioneer", "building", 2022,
     "每天早到一刻钟", "以一名老党员名字命名的党员先锋岗", "初升的太阳和一只闹钟"),
    ("青湾区滨江小学", "微光行动", "pioneer", "cultivating", 2024,
     "微光成炬，点亮一片", "青年党员组成志愿服务小分队", "许多小光点汇成一支火炬"),
]  # fmt: skip

PAST_BRAND = (
    "青湾区实验小学", "园丁先锋", "organization", "named", 2014,
    "辛勤耕耘，静待花开", "党员教师在课后服务中当先锋", "一把小铲子和一株幼苗",
)  # fmt: skip

ACTIVITIES = [
    "党员教师在校门口护学岗开展志愿服务",
    "全体党员赴革命纪念馆开展主题党日活动",
    "党组织书记为新入职教师讲授专题党课",
    "与社区党组织联合开展结对共建活动",
    "党员教师利用课后服务时间为学生答疑",
    "新发展党员面向党旗庄严宣誓",
    "党员示范课后开展集体评课研讨",
    "党员志愿者走进家庭开展家访",
]


def load(command):
    if School.objects.exists():
        return
    rng = random.Random(2026)
    today = timezone.localdate()
    organizations = _organizations(rng)
    schools = _schools(rng, organizations)
    brands = _brands(rng, schools)
    awards = _honours(rng, today, schools, organizations, brands)
    command.stdout.write(
        f"学校与品牌：{len(schools)} 所学校，{PartyOrganization.objects.count()} 个党组织，"
        f"{len(brands)} 个党建品牌，{awards} 项荣誉，2 个评选"
    )


def _person(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _organizations(rng):
    bureau = PartyOrganization.objects.create(
        kind=COMMITTEE, name=BUREAU_COMMITTEE, secretary=_person(rng), member_count=46,
        founded_year=1984,
    )  # fmt: skip
    organizations = {}
    for name, _short, stage, _private, _town, _group, kind in SCHOOLS:
        if kind is None:
            continue
        members = {COMMITTEE: (60, 120), GENERAL: (35, 60), BRANCH: (7, 30)}[kind]
        organizations[name] = PartyOrganization.objects.create(
            kind=kind,
            name=f"中共{name}{KIND_SUFFIX[kind]}",
            secretary=_person(rng),
            member_count=rng.randint(*members),
            founded_year=rng.randint(1958, 2012) if stage != Stage.KINDERGARTEN else 2016,
            parent=bureau,
        )
    joint = PartyOrganization.objects.create(
        kind=OrganizationKind.JOINT_BRANCH, name=JOINT_BRANCH, secretary=_person(rng),
        member_count=9, founded_year=2019, parent=bureau,
    )  # fmt: skip
    for name, *_rest, kind in SCHOOLS:
        if kind is None:
            organizations[name] = joint
    return organizations


def _schools(rng, organizations):
    schools = {}
    for number, (name, short, stage, private, town, group, _kind) in enumerate(SCHOOLS, 1):
        school = School(
            name=name,
            short_name=short,
            stage=stage,
            ownership=Ownership.PRIVATE if private else Ownership.PUBLIC,
            town=town,
            education_group=group,
            address=f"{DISTRICT}{town}{rng.choice(STREETS)}{rng.randint(1, 299)}号",
            introduction=_introduction(name, short, stage, private, town, group, rng),
            party_organization=organizations[name],
        )
        school.photo.save(f"school-{number}.jpg", demo_picture(f"school-{number}", (720, 405)),
                          save=False)  # fmt: skip
        school.save()
        schools[name] = school
    return schools


def _introduction(name, short, stage, private, town, group, rng):
    founded = rng.randint(1952, 2015)
    classes = rng.randint(9, 60)
    nature = "民办" if private else "公办"
    first = (
        f"{name}创办于{founded}年，是一所位于{town}的{nature}{Stage(stage).label}，"
        f"现有教学班{classes}个。"
    )
    if group:
        first += f"学校是{group}成员校，与集团内兄弟学校共享课程和师资培训资源。"
    second = rng.choice(
        [
            f"{short}坚持党建引领，把党员教师放在教学改革和服务学生的第一线。",
            f"近年来，{short}以党建带队建、促校建，校园面貌和办学质量稳步提升。",
            f"{short}重视师德师风建设，党员教师每学期都要上一堂公开示范课。",
        ]
    )
    return f"{first}\n\n{second}"


def _brand(rng, school, row, is_current, number):
    _school, name, kind, status, year, slogan, about, logo_idea = row
    short = school.short_name or school.name
    brand = Brand(
        school=school,
        kind=BrandKind(kind),
        name=name,
        slogan=slogan,
        logo_alt=f"“{name}”品牌标识：{logo_idea}",
        logo_meaning=f"标识由{logo_idea}构成，红色代表党的领导，整体寓意“{slogan}”。",
        concept=(
            f"“{name}”是{short}党组织在{year}年提出的党建品牌，核心是{about}。\n\n"
            f"品牌口号“{slogan}”，把党建工作和学校的育人目标连在一起。"
        ),
        mechanism=(
            f"学校党组织书记牵头负责，每学期初制定品牌工作计划，"
            f"党员按学科和年级分成{rng.randint(3, 6)}个小组认领任务。\n\n"
            "每月召开一次推进会，学期末由党员、教师和家长代表共同评议。"
        ),
        carriers=(
            f"围绕“{name}”，学校开设党员示范岗、主题党日和志愿服务三类活动，"
            f"每年开展活动{rng.randint(20, 60)}余次。"
        ),
        results=(
            f"品牌创建以来，{short}先后有{rng.randint(3, 15)}名党员教师获评区级以上先进，"
            f"相关做法在全区教育系统交流推广。"
        ),
        founded_year=year,
        status={"cultivating": BrandStatus.CULTIVATING, "building": BrandStatus.BUILDING,
                "named": BrandStatus.NAMED}[status],
        is_current=is_current,
    )  # fmt: skip
    brand.logo.save(f"logo-{number}.png", demo_picture(f"logo-{number}", (240, 240), "logo"),
                    save=False)  # fmt: skip
    brand.save()
    activities = rng.sample(ACTIVITIES, rng.randint(2, 4))
    for order, activity in enumerate(activities, 1):
        picture = demo_picture(f"gallery-{number}-{order}", (800, 450))
        image = BrandImage(brand=brand, caption=f"{short}{activity}", order=order)
        image.image.save(f"gallery-{number}-{order}.jpg", picture, save=False)
        image.save()
    return brand


def _brands(rng, schools):
    brands = {}
    brands["past"] = _brand(rng, schools[PAST_BRAND[0]], PAST_BRAND, False, 0)
    for number, row in enumerate(BRANDS, 1):
        brands[row[0]] = _brand(rng, schools[row[0]], row, True, number)
    return brands


def _honours(rng, today, schools, organizations, brands):
    awards = []
    school_list = list(schools.values())

    def award(**fields):
        awards.append(Award(**fields))

    for year in (2024, 2025, 2026):
        day = datetime.date(year, 6, 28)
        if year < 2026:
            for school in rng.sample(school_list, 5):
                award(
                    title=f"{year}年度{DISTRICT}教育系统先进基层党组织",
                    category=AwardCategory.ADVANCED_ORGANIZATION, level=AwardLevel.SYSTEM,
                    awarded_on=day, issuing_body=BUREAU_COMMITTEE,
                    recipient_kind=RecipientKind.ORGANIZATION,
                    organization=school.party_organization,
                )  # fmt: skip
        for school in rng.sample(school_list, 6):
            award(
                title=f"{year}年度{DISTRICT}教育系统优秀共产党员",
                category=AwardCategory.OUTSTANDING_MEMBER, level=AwardLevel.SYSTEM,
                awarded_on=day, issuing_body=BUREAU_COMMITTEE,
                recipient_kind=RecipientKind.PERSON, person_name=_person(rng), school=school,
            )  # fmt: skip
        for school in rng.sample(school_list, 3):
            award(
                title=f"{year}年度{DISTRICT}优秀党务工作者",
                category=AwardCategory.OUTSTANDING_WORKER, level=AwardLevel.DISTRICT,
                awarded_on=day, issuing_body=f"中共{DISTRICT}委员会",
                recipient_kind=RecipientKind.PERSON, person_name=_person(rng), school=school,
            )  # fmt: skip
        school = rng.choice(school_list)
        award(
            title=f"{year}年市级党员教育示范课优秀案例",
            category=AwardCategory.OTHER, level=AwardLevel.MUNICIPAL,
            awarded_on=datetime.date(year, 9, 10), issuing_body="青州市教育局",
            recipient_kind=RecipientKind.PERSON, person_name=_person(rng), school=school,
        )  # fmt: skip
        narrator_brand = rng.choice([b for key, b in brands.items() if key != "past"])
        award(
            title=f"{year}年{DISTRICT}党建品牌优秀解说人",
            category=AwardCategory.BRAND_NARRATOR, level=AwardLevel.SYSTEM,
            awarded_on=datetime.date(year, 4, 18), issuing_body=BUREAU_COMMITTEE,
            recipient_kind=RecipientKind.PERSON, person_name=_person(rng),
            school=narrator_brand.school,
        )  # fmt: skip

    award(
        title="省级中小学党建工作示范校", category=AwardCategory.MODEL_SCHOOL,
        level=AwardLevel.PROVINCIAL, awarded_on=datetime.date(2024, 12, 6),
        issuing_body="省教育厅", recipient_kind=RecipientKind.SCHOOL,
        school=schools["青湾区第一高级中学"],
    )  # fmt: skip
    award(
        title="市级党性教育实践基地", category=AwardCategory.EDUCATION_BASE,
        level=AwardLevel.MUNICIPAL, awarded_on=datetime.date(2025, 7, 1),
        issuing_body="中共青州市委组织部", recipient_kind=RecipientKind.SCHOOL,
        school=schools["青湾区职业技术学校"],
    )  # fmt: skip
    award(
        title="全国教育系统关心下一代工作先进集体", category=AwardCategory.OTHER,
        level=AwardLevel.NATIONAL, awarded_on=datetime.date(2025, 11, 20),
        issuing_body="全国性教育社团", recipient_kind=RecipientKind.SCHOOL,
        school=schools["青湾区特殊教育学校"],
    )  # fmt: skip
    award(
        title="市级“五星”党建品牌", category=AwardCategory.BEST_BRAND,
        level=AwardLevel.MUNICIPAL, awarded_on=datetime.date(2026, 7, 1),
        issuing_body="青州市教育局", recipient_kind=RecipientKind.BRAND,
        brand=brands["青湾区第一中学"], school=schools["青湾区第一中学"],
    )  # fmt: skip

    # A finished, ranked evaluation.
    ranked = Campaign.objects.create(
        title="2025年度最优党建品牌评选",
        organiser=BUREAU_COMMITTEE,
        year=2025,
        description=(
            "评选面向全区各级各类学校的党建品牌，经学校申报、材料初审、现场展示和评委打分，"
            "按总分排出名次。\n\n评选结果已于公示期满后正式公布。"
        ),
        result_type=ResultType.RANKED,
        notice_start=datetime.date(2026, 1, 12),
        notice_end=datetime.date(2026, 1, 18),
    )
    winners = ["青湾区第一中学", "青湾区实验小学", "青湾区职业技术学校", "青湾区青湾中学",
               "青湾区第一高级中学", "青湾区文昌小学"]  # fmt: skip
    for rank, name in enumerate(winners, 1):
        award(
            title="2025年度最优党建品牌", category=AwardCategory.BEST_BRAND,
            level=AwardLevel.SYSTEM, awarded_on=datetime.date(2026, 1, 22),
            issuing_body=BUREAU_COMMITTEE, campaign=ranked, rank=rank,
            recipient_kind=RecipientKind.BRAND, brand=brands[name], school=schools[name],
        )  # fmt: skip

    # An unranked evaluation whose results are in their public-notice window right now.
    notice_start = today - datetime.timedelta(days=2)
    unranked = Campaign.objects.create(
        title="2026年度教育系统先进基层党组织评选",
        organiser=BUREAU_COMMITTEE,
        year=2026,
        description=(
            "经各校党组织推荐、考察组实地考察和局党委会议研究，拟表彰以下基层党组织，现予以公示。"
        ),
        result_type=ResultType.UNRANKED,
        notice_start=notice_start,
        notice_end=notice_start + datetime.timedelta(days=9),
    )
    candidates = ["青湾区实验学校", "青湾区临江小学", "青湾区特殊教育学校", "青湾区新河学校",
                  "青湾区白沙镇中心幼儿园"]  # fmt: skip
    for name in candidates:
        award(
            title="2026年度青湾区教育系统先进基层党组织",
            category=AwardCategory.ADVANCED_ORGANIZATION, level=AwardLevel.SYSTEM,
            awarded_on=notice_start, issuing_body=BUREAU_COMMITTEE, campaign=unranked,
            recipient_kind=RecipientKind.ORGANIZATION, organization=organizations[name],
        )  # fmt: skip
    Award.objects.bulk_create(awards)
    return len(awards)
