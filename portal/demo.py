"""Demo district, site-wide part: the site settings and the staff accounts."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .models import SiteSettings
from .passwords import generate_password

CREDENTIALS_FILE = settings.VAR_DIR / "credentials.txt"

# (username, display name, superuser, groups): the superuser and one account per editorial
# role (groups from news/roles.py, created by migrations). news.demo gives the reviewers their
# levels and the correspondent a school.
ACCOUNTS = [
    ("admin", "系统管理员", True, []),
    ("editor", "区教育局编辑 陈晓", False, ["编辑"]),
    ("reviewer1", "初审 王敏", False, ["审核员"]),
    ("reviewer2", "复审 李建国", False, ["审核员"]),
    ("reviewer3", "终审 赵书记", False, ["审核员"]),
    ("correspondent", "学校通讯员 林老师", False, ["学校通讯员"]),
    ("sitemanager", "网站管理员 黄工", False, ["管理员"]),
    ("auditor", "审计员 周审", False, ["审计员"]),
]


def load(command):
    if not SiteSettings.objects.exists():
        SiteSettings.objects.create(
            site_name="青湾区教育系统党建网",
            sponsor="中共青湾区教育局委员会",
            organizer="青湾区教育信息中心",
            contact="0750-5550123  qwjydj@example.cn",
            address="青湾区文昌路18号",
            icp_number="粤ICP备20260001号-1",
            psb_number="粤公网安备44078402000123号",
            site_code="4407840001",
            copyright="版权所有 © 青湾区教育局 未经书面授权禁止转载",
        )
        command.stdout.write("站点设置：已创建")
    _create_accounts(command)


def _create_accounts(command):
    user_model = get_user_model()
    created = []
    for username, name, is_superuser, groups in ACCOUNTS:
        if user_model.objects.filter(username=username).exists():
            continue
        user = user_model(
            username=username, first_name=name, is_staff=True, is_superuser=is_superuser
        )
        password = generate_password(user)
        user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=groups))
        created.append(f"{username}\t{password}\t{name}")
    if created:
        CREDENTIALS_FILE.parent.mkdir(exist_ok=True)
        with CREDENTIALS_FILE.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(created) + "\n")
        CREDENTIALS_FILE.chmod(0o600)
        command.stdout.write(f"账号：已创建 {len(created)} 个，密码见 {CREDENTIALS_FILE}")
