"""Demo district, news part: channels and about 200 articles over three years.

Every sentence is composed here from phrase banks written for this project; pictures are drawn
by ``portal.demo_images``. Dates are relative to the moment the command runs, so the demo always
looks current. Runs after ``brands.demo`` and links articles to its schools and brands.
"""

import math
import random
from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.utils import timezone

from portal.demo_images import demo_picture
from portal.images import editor_upload_path

from .models import Article, ArticleStatus, ArticleViewDay, Channel, ChannelKind

ARTICLE_COUNT = 200
# The demo articles shown pinned in their channel.
PINNED_NUMBERS = {2, 13, 24, 37}
DAYS = 3 * 365
SEED = 20261122
# Daily view rows (浏览统计) go back this many days; 点击排行 sums the last 30.
VIEW_DAYS = 30

CHANNELS = [
    # (name, slug, kind, description, parent slug)
    ("工作动态", "gongzuo-dongtai", ChannelKind.NEWS, "区教育系统党建工作的部署和进展。", None),
    ("基层风采", "jiceng-fengcai", ChannelKind.NEWS, "各校党组织和党员教师的风貌。", None),
    ("党史学习", "dangshi-xuexi", ChannelKind.NEWS, "党史学习教育的课堂、讲座和心得。", None),
    ("通知公告", "tongzhi-gonggao", ChannelKind.NOTICE, "区教育局党委的通知和公示。", None),
    ("媒体报道", "meiti-baodao", ChannelKind.NEWS, "各类媒体对我区教育党建的报道。", None),
    ("专题活动", "zhuanti-huodong", ChannelKind.NEWS, "主题党日、红色研学等专题活动。", None),
    ("主题党日", "zhuti-dangri", ChannelKind.NEWS, "各校党支部的主题党日。", "zhuanti-huodong"),
    ("红色研学", "hongse-yanxue", ChannelKind.NEWS, "师生走进红色教育基地。", "zhuanti-huodong"),
]

FALLBACK_SCHOOLS = [
    "青湾区实验小学", "青湾区第一中学", "文昌路小学", "滨江学校", "青湾区第二中学",
    "桂园小学", "青湾区职业技术学校", "东湖幼儿园", "海晏中学", "新城实验学校",
]  # fmt: skip

AUTHORS = [
    "李晓梅", "陈志强", "王芳", "黄俊杰", "刘雅琴", "张文博", "周敏", "吴海燕", "郑国栋",
    "林佳怡", "何建平", "梁秀兰", "谢雨桐", "罗振华", "邓慧", "许明轩", "冯丽娜", "曾子航",
]  # fmt: skip

SOURCES = ["区教育局", "学校供稿", "区教育局党委办公室", "区教师发展中心", "区关工委"]
MEDIA = ["青湾日报", "青湾教育周刊", "湾区教育导报", "青湾融媒", "南粤师训报"]

THEMES = [
    "强国复兴有我", "师德润初心", "红心向党 立德树人", "学思践悟守初心", "争做新时代好老师",
    "薪火相传育新人", "党建引领促发展", "凝心聚力谋新篇", "红色基因代代传", "奋进新征程",
]  # fmt: skip
PLACES = [
    "青湾革命历史纪念馆", "海晏烈士陵园", "文昌书院旧址", "滨江党史教育基地",
    "桂山抗战遗址", "青湾区廉政文化教育馆", "老区村史陈列馆",
]  # fmt: skip
MEETINGS = [
    "党建工作会议", "党风廉政建设工作会议", "基层党组织书记抓党建述职评议会",
    "意识形态工作专题会", "党建与业务融合推进会", "党务干部培训班开班仪式",
]  # fmt: skip
LESSONS = [
    "从党的历史中汲取奋进力量", "弘扬教育家精神", "新时代师德师风建设",
    "用好红色资源上好思政课", "基层党组织标准化建设", "全面从严治党向基层延伸",
]  # fmt: skip
ACTIVITIES = [
    ("志愿服务", "党员教师走进社区开展志愿服务"),
    ("结对帮扶", "党员教师与乡村学校开展结对帮扶"),
    ("教师培训", "举办青年教师党性修养专题培训"),
    ("家访", "开展“党员教师进万家”家访活动"),
    ("课后服务", "党员先锋岗助力课后服务提质"),
    ("安全教育", "党员志愿者守护学生平安上下学"),
    ("读书分享", "举办“红色经典共读”读书分享会"),
    ("思政课", "党组织书记为学生讲授思政课"),
]
NOTICES = [
    "关于开展{year}年度“两优一先”推荐评选工作的通知",
    "关于做好{year}年教育系统党员发展工作的通知",
    "关于举办{year}年教育系统党务干部培训班的通知",
    "关于公布{year}年度基层党建示范校名单的公示",
    "关于开展“{theme}”主题征文活动的通知",
    "关于召开{year}年度组织生活会和开展民主评议党员的通知",
    "关于报送{year}年上半年党建工作总结的通知",
]
TAG_BANK = [
    "主题党日", "红色研学", "志愿服务", "教师培训", "党史学习教育", "师德师风", "思政课",
    "基层党建", "党建品牌", "结对帮扶", "廉政教育", "组织生活会", "青年教师", "家校共育",
]  # fmt: skip

OPENINGS = [
    "{date}，{school}党支部组织全体党员教师开展“{theme}”主题党日活动。",
    "为深入推进党建与教育教学深度融合，{date}，{school}举行{topic}专题活动。",
    "{date}上午，{school}党员教师和学生代表一同来到{place}，开展红色研学实践。",
    "近日，{school}以“{theme}”为主题，组织开展了一系列形式多样的党建活动。",
    "{date}下午，区教育局党委召开{meeting}，全区各中小学、幼儿园党组织书记参加会议。",
]
MIDDLES = [
    "活动中，党员教师重温入党誓词，结合自身岗位谈认识、讲体会，现场气氛庄重热烈。",
    "讲解员结合一件件珍贵的实物和图片，讲述了革命先辈在艰苦岁月中坚守理想信念的感人故事。",
    "党支部书记以“{lesson}”为题讲授专题党课，引导党员把学习成果转化为立德树人的实际行动。",
    "党员先锋岗的教师们主动认领课后服务、安全值守和学困生辅导等任务，带动全体教职工共同参与。",
    "学校将党建工作与课程建设结合起来，开发了一批贴近学生生活的红色校本课程。",
    "各党小组围绕教学质量提升、家校沟通和青年教师成长等问题，分组讨论并形成了具体措施。",
    "与会人员认真学习了上级有关文件精神，对下一阶段的重点工作进行了细化分工。",
    "志愿者们分成宣讲、义诊咨询、作业辅导三个小组，为社区居民和孩子们提供贴心服务。",
    "参加活动的学生纷纷表示，要把先辈的精神记在心里，落实到认真学习和日常行动中。",
]
QUOTES = [
    "“把党建工作做到课堂里、做到学生心里，才是真正的落地。”{school}党支部书记{author}说。",
    "“这次活动让我对‘为党育人、为国育才’有了更深的理解。”一位青年党员教师在交流时说。",
    "“以后我也想像老师们一样，为身边的人做点实事。”六年级学生{student}说。",
    "“组织生活不能只在会议室里，要走到师生和群众中去。”区教育局党委有关负责人表示。",
]
CLOSINGS = [
    "下一步，{school}将继续擦亮党建品牌，推动党建工作与教育教学同频共振。",
    "据了解，此类活动将在全区中小学常态化开展，进一步激发基层党组织的活力。",
    "会议要求，各校党组织要压实责任、细化举措，确保各项任务按时保质完成。",
    "活动结束后，各党小组将撰写心得体会，并在校内党建宣传栏集中展示。",
]
CAPTIONS = [
    "▲ 党员教师重温入党誓词",
    "▲ 师生在纪念馆内认真聆听讲解",
    "▲ 活动现场",
    "▲ 党员志愿者为社区居民提供服务",
    "▲ 党支部书记讲授专题党课",
    "▲ 学生代表分享学习体会",
]
STUDENTS = ["小林", "小陈", "小王", "小黄", "小周"]


def view_days(number, publish_at, today):
    """[(day, views)] of an article published in the last ``VIEW_DAYS`` days: one row a day
    since then, most on the first day, fewer each day after; older articles have none. Its own
    generator, so the rest of the data is the same with or without them."""
    published_on = timezone.localdate(publish_at)
    if published_on <= today - timedelta(days=VIEW_DAYS):
        return []
    rng = random.Random(SEED * 7919 + number)
    peak = math.exp(rng.gauss(4.5, 1))
    rows = []
    for offset in range((today - published_on).days + 1):
        day = published_on + timedelta(days=offset)
        views = int(peak * 0.6 ** (day - published_on).days) + rng.randint(0, 3)
        if views:
            rows.append((day, views))
    return rows


def load(command):
    if Channel.objects.exists():
        command.stdout.write("新闻：已有栏目，跳过")
    else:
        _load_articles(command)
    _load_workflow(command)


def _load_articles(command):
    rng = random.Random(SEED)
    channels = _create_channels()
    schools, brands = _schools_and_brands()
    now = timezone.now()
    body_images = [_save_body_image(n) for n in range(24)]
    created = 0
    for number in range(ARTICLE_COUNT):
        _create_article(rng, number, now, channels, schools, brands, body_images)
        created += 1
        if created % 50 == 0:
            command.stdout.write(f"新闻：已创建 {created} 篇文章")
    command.stdout.write(f"新闻：{len(channels)} 个栏目，{created} 篇文章")


def _create_channels():
    channels = {}
    for order, (name, slug, kind, description, parent) in enumerate(CHANNELS, start=1):
        channels[slug] = Channel.objects.create(
            name=name,
            slug=slug,
            kind=kind,
            description=description,
            order=order * 10,
            parent=channels.get(parent),
        )
    return channels


def _schools_and_brands():
    """The demo schools and brands, when the brands app has loaded them."""
    try:
        school_model = apps.get_model("brands", "School")
        brand_model = apps.get_model("brands", "Brand")
    except LookupError:
        return [], []
    schools = list(school_model.objects.all())
    brands = list(brand_model.objects.select_related("school"))
    return schools, brands


def _save_body_image(number):
    picture = demo_picture(f"news-body-{number}", size=(800, 450))
    name = default_storage.save(editor_upload_path.path_for(picture.name), picture)
    return default_storage.url(name)


def _create_article(rng, number, now, channels, schools, brands, body_images):
    slug = rng.choice(
        ["gongzuo-dongtai"] * 5
        + ["jiceng-fengcai"] * 5
        + ["dangshi-xuexi"] * 3
        + ["tongzhi-gonggao"] * 3
        + ["meiti-baodao"] * 2
        + ["zhuanti-huodong", "zhuti-dangri", "zhuti-dangri", "hongse-yanxue", "hongse-yanxue"]
    )
    channel = channels[slug]
    # Spread over three years, denser recently; the first few are the newest.
    days_ago = rng.uniform(0, 20) if number < 20 else rng.uniform(0, DAYS)
    publish_at = timezone.localtime(now - timezone.timedelta(days=days_ago)).replace(
        hour=rng.randint(8, 18), minute=rng.randint(0, 59), second=0, microsecond=0
    )
    publish_at = min(publish_at, now - timezone.timedelta(minutes=5))
    status = ArticleStatus.PUBLISHED
    if number % 33 == 5:  # scheduled: published, with a publish time still to come
        publish_at = now + timezone.timedelta(days=rng.randint(1, 10), hours=rng.randint(1, 9))
    elif number % 29 == 7:
        status = rng.choice([ArticleStatus.DRAFT, ArticleStatus.SUBMITTED, ArticleStatus.IN_REVIEW])
    elif number % 41 == 11:
        status = ArticleStatus.REJECTED
    # Waiting articles wait at a level: 待审核 at the first, 审核中 at the second of three.
    review_level = {ArticleStatus.SUBMITTED: 1, ArticleStatus.IN_REVIEW: 2}.get(status, 0)

    school_count = len(schools)
    school = schools[number % school_count] if school_count else None
    school_name = school.name if school else FALLBACK_SCHOOLS[number % len(FALLBACK_SCHOOLS)]
    local = timezone.localtime(publish_at)
    words = {
        "school": school_name,
        "theme": rng.choice(THEMES),
        "place": rng.choice(PLACES),
        "meeting": rng.choice(MEETINGS),
        "lesson": rng.choice(LESSONS),
        "topic": rng.choice(ACTIVITIES)[0],
        "author": rng.choice(AUTHORS),
        "student": rng.choice(STUDENTS),
        "date": f"{local.month}月{local.day}日",
        "year": local.year,
    }
    kicker, title, subtitle, tags = _headline(rng, slug, words)
    has_cover = slug != "tongzhi-gonggao" and rng.random() < 0.7
    recent = (now - publish_at).days < 60
    article = Article(
        kicker=kicker,
        title=title[:120],
        subtitle=subtitle,
        body=_body(rng, slug, words, body_images),
        authors=" ".join(rng.sample(AUTHORS, rng.choice([1, 1, 2]))),
        channel=channel,
        publish_at=publish_at,
        status=status,
        is_headline=recent and number % 9 == 0,
        is_recommended=number % 7 == 0,
        is_carousel=has_cover and recent and number % 3 == 0,
        is_pinned=number in PINNED_NUMBERS,
        pin_order=number % 3 if number in PINNED_NUMBERS else 0,
        view_count=rng.randint(20, 400) + int(rng.expovariate(1 / 600)),
        review_level=review_level,
        review_levels=3 if review_level else 0,
        review_round=1 if review_level else 0,
    )
    if slug == "meiti-baodao":
        media = rng.choice(MEDIA)
        paper_day = timezone.localdate(publish_at) - timezone.timedelta(days=rng.randint(0, 2))
        article.source = media
        article.print_edition = (
            f"《{media}》{paper_day.year}年{paper_day.month}月{paper_day.day}日"
            f"第{rng.randint(1, 8)}版"
        )
    elif slug == "tongzhi-gonggao":
        article.source = "区教育局党委办公室"
        article.authors = ""
    else:
        article.source = rng.choice(SOURCES)
    if has_cover:
        article.cover.save(f"cover-{number}.jpg", demo_picture(f"news-cover-{number}"), save=False)
        article.cover_alt = f"{school_name}活动现场"
    # Articles older than the daily rows keep a lifetime count from before them.
    days = (
        view_days(number, publish_at, timezone.localdate(now))
        if status == ArticleStatus.PUBLISHED
        else []
    )
    if days:
        article.view_count = sum(views for _day, views in days)
    article.save()
    ArticleViewDay.objects.bulk_create(
        ArticleViewDay(article=article, day=day, views=views) for day, views in days
    )
    article.tags.set(tags)
    if school:
        article.schools.set([school])
        school_brands = [brand for brand in brands if brand.school_id == school.pk]
        if school_brands and rng.random() < 0.5:
            article.brand = school_brands[0]
            article.save(update_fields=["brand"])


def _headline(rng, slug, words):
    """(kicker, title, subtitle, tags) for a channel."""
    kicker = subtitle = ""
    if slug == "gongzuo-dongtai":
        title = rng.choice(
            [
                "区教育局召开{year}年教育系统{meeting}",
                "区教育局党委部署推进“{theme}”专项行动",
                "区教育系统举办{lesson}专题辅导讲座",
            ]
        ).format(**words)
        tags = ["基层党建", rng.choice(["组织生活会", "廉政教育", "师德师风"])]
    elif slug == "jiceng-fengcai":
        name, phrase = rng.choice(ACTIVITIES)
        title = f"{words['school']}{phrase}"
        kicker = rng.choice(["", "", f"“{words['theme']}”系列报道"])
        tags = [name if name in TAG_BANK else "基层党建", rng.choice(["青年教师", "家校共育"])]
    elif slug == "dangshi-xuexi":
        title = rng.choice(
            [
                "{school}开展“{lesson}”专题学习",
                "学党史 悟思想：{school}举办党史知识竞赛",
                "{school}党员教师讲述身边的红色故事",
            ]
        ).format(**words)
        tags = ["党史学习教育", "思政课"]
    elif slug == "tongzhi-gonggao":
        title = rng.choice(NOTICES).format(**words)
        tags = ["基层党建"]
    elif slug == "meiti-baodao":
        title = rng.choice(
            [
                "{school}：让党建品牌在校园里“亮”起来",
                "党建引领下的{school}：小切口做出大文章",
                "一所学校的“{theme}”实践",
            ]
        ).format(**words)
        kicker = "媒体看青湾"
        subtitle = rng.choice(["", "", "基层党组织激活教育发展新动能"])
        tags = ["党建品牌", "基层党建"]
    elif slug == "hongse-yanxue":
        title = "{school}师生走进{place}开展红色研学".format(**words)
        tags = ["红色研学", "党史学习教育"]
    elif slug == "zhuti-dangri":
        title = "{school}党支部开展“{theme}”主题党日活动".format(**words)
        tags = ["主题党日", rng.choice(["志愿服务", "师德师风"])]
    else:
        title = "“{theme}”专题活动在{school}启动".format(**words)
        tags = ["主题党日", "党建品牌"]
    return kicker, title, subtitle, tags


def _body(rng, slug, words, body_images):
    if slug == "tongzhi-gonggao":
        return (
            "<p>各中小学、幼儿园党组织：</p>"
            f"<p>根据区委组织部有关工作安排，现就做好{words['year']}年相关工作通知如下。</p>"
            "<h2>一、工作要求</h2>"
            "<p>各党组织要高度重视，明确专人负责，严格按照规定程序和时间节点推进工作。</p>"
            "<h2>二、材料报送</h2>"
            "<p>请于规定时间前将有关材料电子版报送区教育局党委办公室，纸质版加盖公章后一并报送。</p>"
            "<p>联系人：党委办公室，联系电话：0750-5550123。</p>"
            '<p class="text-right">中共青湾区教育局委员会</p>'
        )
    paragraphs = [rng.choice(OPENINGS).format(**words)]
    for sentence in rng.sample(MIDDLES, rng.randint(2, 4)):
        paragraphs.append(sentence.format(**words))
    body = [f"<p>{text}</p>" for text in paragraphs]
    if body_images and rng.random() < 0.6:
        url = rng.choice(body_images)
        caption = rng.choice(CAPTIONS)
        figure = (
            f'<figure class="image"><img src="{url}" alt="{caption.lstrip("▲ ")}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
        body.insert(2, figure)
    body.append(f"<p>{rng.choice(QUOTES).format(**words)}</p>")
    body.append(f"<p>{rng.choice(CLOSINGS).format(**words)}</p>")
    return "".join(body)


# --- The editorial workflow: an article in every state, made through news.workflow ------------

WORKFLOW_BODY = (
    "<p>{date}，{school}党支部组织党员教师开展“{theme}”主题党日活动，重温入党誓词，"
    "交流岗位建功的做法和体会。</p>"
    "<p>活动中，党员教师围绕课后服务、家校沟通和青年教师成长等问题分组讨论，"
    "形成了下一阶段的具体措施。</p>"
)

# (title, author, channel slug, about the correspondent's school, steps)
# Steps: submit, approve1/2/3 (by reviewer1/2/3), reject, publish, publish_later, withdraw,
# revise (a change to the published article, approved at level 1).
WORKFLOW_ARTICLES = [
    ("{school}党员教师志愿服务队走进社区", "correspondent", "jiceng-fengcai", True, []),
    ("{school}开展“党员教师进万家”家访月活动", "correspondent", "jiceng-fengcai", True, ["submit"]),
    (
        "区教育系统举办党务干部专题培训班",
        "editor",
        "gongzuo-dongtai",
        False,
        ["submit", "approve1"],
    ),
    (
        "区教育局党委部署“强国复兴有我”主题教育活动",
        "editor",
        "gongzuo-dongtai",
        False,
        ["submit", "approve1", "approve2"],
    ),
    (
        "关于开展基层党组织书记述职评议工作的通知",
        "editor",
        "tongzhi-gonggao",
        False,
        ["submit", "approve1", "approve2", "approve3"],
    ),
    (
        "区教育系统“两优一先”表彰大会即将召开",
        "editor",
        "gongzuo-dongtai",
        False,
        ["submit", "approve1", "approve2", "approve3", "publish_later"],
    ),
    (
        "{school}师生走进青湾革命历史纪念馆开展红色研学",
        "correspondent",
        "hongse-yanxue",
        True,
        ["submit", "approve1", "approve2", "approve3", "publish"],
    ),
    (
        "{school}党支部开展主题党日活动（初稿）",
        "correspondent",
        "zhuti-dangri",
        True,
        ["submit", "reject"],
    ),
    (
        "区教育局召开意识形态工作专题会（已撤稿）",
        "editor",
        "gongzuo-dongtai",
        False,
        ["submit", "approve1", "approve2", "approve3", "publish", "withdraw"],
    ),
    (
        "{school}党建品牌建设经验交流会举行",
        "correspondent",
        "jiceng-fengcai",
        True,
        ["submit", "approve1", "approve2", "approve3", "publish", "revise"],
    ),
]
WORKFLOW_COMMENTS = {
    "reject": "请补充活动的具体时间、参加人数，并核对引用的讲话原文后再送审。",
    "withdraw": "会议信息需以区委宣传部统一发布的通稿为准，先行撤稿。",
}


def _load_workflow(command):
    """Reviewer levels, the correspondent's school and one article in every workflow state,
    each moved there through news.workflow (so the timeline and audit log are real)."""
    from django.contrib.auth import get_user_model

    from brands.models import School

    from . import workflow
    from .models import ReviewerAssignment

    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    needed = {"editor", "reviewer1", "reviewer2", "reviewer3", "correspondent", "sitemanager"}
    school = School.objects.order_by("stage", "name").first()
    if not needed <= users.keys() or school is None:
        command.stdout.write("审核流程：缺少演示账号或学校，跳过")
        return
    for level in (1, 2, 3):
        ReviewerAssignment.objects.get_or_create(user=users[f"reviewer{level}"], level=level)
    school.correspondents.add(users["correspondent"])
    titles = [title.format(school=school.name) for title, *_rest in WORKFLOW_ARTICLES]
    authors = [users["editor"], users["correspondent"]]
    if Article.objects.filter(title__in=titles, created_by__in=authors).exists():
        command.stdout.write("审核流程：演示稿件已存在，跳过")
        return
    channels = {channel.slug: channel for channel in Channel.objects.all()}
    now = timezone.now()
    for number, (title, author, slug, about_school, steps) in enumerate(WORKFLOW_ARTICLES):
        local = timezone.localtime(now - timezone.timedelta(days=number % 4))
        article = Article.objects.create(
            title=title.format(school=school.name),
            body=WORKFLOW_BODY.format(
                date=f"{local.month}月{local.day}日", school=school.name, theme=THEMES[number]
            ),
            authors=AUTHORS[number],
            channel=channels.get(slug) or next(iter(channels.values())),
            status=ArticleStatus.DRAFT,
            created_by=users[author],
            publish_at=now,
        )
        article.tags.set(["基层党建"])
        if about_school:
            article.schools.set([school])
        for step in steps:
            _workflow_step(workflow, article, step, users)
    command.stdout.write(f"审核流程：{len(WORKFLOW_ARTICLES)} 篇演示稿件（各种状态）")


def _workflow_step(workflow, article, step, users):
    action, actor = {
        "submit": ("submit", users["editor"]),
        "approve1": ("approve", users["reviewer1"]),
        "approve2": ("approve", users["reviewer2"]),
        "approve3": ("approve", users["reviewer3"]),
        "reject": ("reject", users["reviewer1"]),
        "publish": ("publish", users["sitemanager"]),
        "publish_later": ("publish", users["reviewer3"]),
        "withdraw": ("withdraw", users["sitemanager"]),
    }.get(step, (step, None))
    article.refresh_from_db()
    if step == "submit" and article.created_by == users["correspondent"]:
        actor = users["correspondent"]
    if step == "publish_later":
        article.publish_at = timezone.now() + timezone.timedelta(days=3)
        article.save(update_fields=["publish_at"])
    if step == "revise":
        content = workflow.content_values_of(article)
        content["title"] = article.title + "（修订）"
        content["summary"] = "修改稿：补充了交流会的主要做法，待审核通过后替换已发布的内容。"
        workflow.propose_change(article, users["editor"], content)
        workflow.perform("approve", article, users["reviewer1"])
        return
    workflow.perform(action, article, actor, comment=WORKFLOW_COMMENTS.get(step, ""))
