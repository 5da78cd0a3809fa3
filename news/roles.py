"""The editorial roles: one Django group each, with exactly these permissions.

The groups are created by a data migration (``news/migrations/0003_roles``, which keeps a
frozen copy of this table); the tests check that the two agree. A person may belong to several
groups (a final-level reviewer who also edits is in 审核员 and 编辑), but never to two of the
separated roles (三员分立, ``SEPARATED_ROLES``).

What the permissions do beyond Django's add/change/delete/view:

* ``brands.all_schools``: work on every school's articles and brand. Without it (学校通讯员) a
  user sees only the schools they are a correspondent of (``School.correspondents``).
* ``brands.assign_correspondents``: choose a school's correspondents.
* ``news.submit_article`` / ``approve_article`` / ``publish_article``: the workflow's steps
  (``news/workflow.py``); approving also needs a review level (``ReviewerAssignment``).
* ``news.change_publish_time``: change the publish time of an article already published
  (recorded in the audit log).
* ``axes.delete_accessattempt``: unlock a user name and address locked after failed logins.
* ``otp_totp.delete_totpdevice`` / ``otp_static.delete_staticdevice``: reset the two-factor
  authentication of somebody who lost their phone and their recovery codes (they enrol anew).
"""

from django.utils.translation import gettext as _

CORRESPONDENT = "学校通讯员"
EDITOR = "编辑"
REVIEWER = "审核员"
SITE_MANAGER = "管理员"
AUDITOR = "审计员"

_ARTICLE_WRITING = [
    "news.view_article",
    "news.add_article",
    "news.change_article",
    "news.submit_article",
    "news.view_articleattachment",
    "news.add_articleattachment",
    "news.change_articleattachment",
    "news.delete_articleattachment",
]

_SCHOOL_CONTENT = [
    "brands.view_school",
    "brands.add_school",
    "brands.change_school",
    "brands.view_partyorganization",
    "brands.add_partyorganization",
    "brands.change_partyorganization",
    "brands.view_brand",
    "brands.add_brand",
    "brands.change_brand",
    "brands.view_brandimage",
    "brands.add_brandimage",
    "brands.change_brandimage",
    "brands.delete_brandimage",
    "brands.view_campaign",
    "brands.add_campaign",
    "brands.change_campaign",
    "brands.view_award",
    "brands.add_award",
    "brands.change_award",
]

# 检索词典: the words search keeps whole.
_SEARCH_TERMS = [f"news.{action}_searchterm" for action in ("view", "add", "change", "delete")]

ROLES = {
    # Their own school(s) only: articles, the school's profile and its brands.
    CORRESPONDENT: [
        *_ARTICLE_WRITING,
        "brands.view_school",
        "brands.change_school",
        "brands.view_brand",
        "brands.add_brand",
        "brands.change_brand",
        "brands.view_brandimage",
        "brands.add_brandimage",
        "brands.change_brandimage",
        "brands.delete_brandimage",
    ],
    # Every school's articles, brands and honours; submits, never approves or publishes.
    EDITOR: [
        *_ARTICLE_WRITING,
        "brands.all_schools",
        "news.view_channel",
        # 搜索记录: what readers look for (热门搜索, searches without results).
        "news.view_searchlog",
        *_SEARCH_TERMS,
        *_SCHOOL_CONTENT,
    ],
    # Reads everything, approves or rejects at their levels, publishes what passed the final
    # review and withdraws. Editing needs the 编辑 group as well.
    REVIEWER: [
        "brands.all_schools",
        # The schools and brands whose changes they review (news.workflow.profiles).
        "brands.view_school",
        "brands.view_brand",
        "brands.view_brandimage",
        "news.view_article",
        "news.view_articleattachment",
        "news.approve_article",
        "news.publish_article",
        "news.view_searchlog",
    ],
    # Users, roles, channels, site settings and reviewer levels, plus what editors do; publishes
    # (after the final approval, like everybody), withdraws, deletes, moves publish times.
    SITE_MANAGER: [
        *_ARTICLE_WRITING,
        *_SCHOOL_CONTENT,
        "news.view_searchlog",
        *_SEARCH_TERMS,
        "brands.all_schools",
        "brands.assign_correspondents",
        "brands.delete_school",
        "brands.delete_partyorganization",
        "brands.delete_brand",
        "brands.delete_campaign",
        "brands.delete_award",
        "news.delete_article",
        "news.publish_article",
        "news.change_publish_time",
        "news.view_channel",
        "news.add_channel",
        "news.change_channel",
        "news.delete_channel",
        "news.view_reviewerassignment",
        "news.add_reviewerassignment",
        "news.change_reviewerassignment",
        "news.delete_reviewerassignment",
        "portal.view_sitesettings",
        "portal.add_sitesettings",
        "portal.change_sitesettings",
        # The publication gate's word lists (portal.gate.words).
        "portal.view_sensitiveword",
        "portal.add_sensitiveword",
        "portal.change_sensitiveword",
        "portal.delete_sensitiveword",
        "portal.view_wordingerror",
        "portal.add_wordingerror",
        "portal.change_wordingerror",
        "portal.delete_wordingerror",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "auth.view_group",
        "auth.add_group",
        "auth.change_group",
        "auth.delete_group",
        "auth.view_permission",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "otp_static.view_staticdevice",
        "otp_static.delete_staticdevice",
    ],
    # Created by portal's migration; read-only access to the audit log.
    AUDITOR: ["portal.view_auditlogentry"],
}


# --- Who gives roles (三员分立) ------------------------------------------------------------------
#
# 管理员 runs the accounts of 编辑 and 学校通讯员; a superuser (the district's system owner) runs
# the accounts that hold a separated role, superusers' accounts, and group permissions. So no
# 管理员 can set the password of a reviewer or auditor and act as them, and the audit log shows
# every account, role and reviewer level that was given, by whom (portal.audit; reviewer levels
# in news.role_guards, which also enforces 三员分立 on every change of group membership).

SEPARATED_ROLES = frozenset({SITE_MANAGER, REVIEWER, AUDITOR})


def separation_refusal(role_names):
    """Why one account may not hold ``role_names`` together, or None."""
    held = sorted(SEPARATED_ROLES.intersection(role_names))
    if len(held) < 2:
        return None
    return _("三员分立：同一账号不能同时担任%(roles)s。") % {
        "roles": "、".join(f"“{name}”" for name in held)
    }


def is_protected_account(account):
    """Accounts only a superuser changes: superusers and holders of a separated role."""
    return account.is_superuser or account.groups.filter(name__in=SEPARATED_ROLES).exists()


def may_manage_account(actor, account):
    """Whether ``actor`` may change, deactivate, delete or set the password of ``account``;
    their own account's roles and permissions stay fixed all the same (``may_change_roles``)."""
    return actor.is_superuser or actor.pk == account.pk or not is_protected_account(account)


def may_change_roles(actor, account):
    """Nobody gives themself roles or permissions, superusers included: another person does."""
    return actor.pk != account.pk


def may_change_permissions(actor):
    """Single permissions, group permissions and superuser status are a superuser's to give."""
    return actor.is_superuser


def may_change_group(actor, group):
    """The role groups themselves (name and permissions) are changed by a superuser only."""
    return actor.is_superuser or group.name not in ROLES


def role_change_refusal(actor, account, before, after):
    """Why ``actor`` may not change ``account``'s groups from the names ``before`` to the names
    ``after``, or None."""
    before, after = set(before), set(after)
    if before == after:
        return None
    if not may_change_roles(actor, account):
        return _("不能修改自己的角色和权限，请由超级用户修改。")
    if (before ^ after) & SEPARATED_ROLES and not actor.is_superuser:
        return _("只有超级用户可以授予或撤销“管理员”“审核员”“审计员”角色。")
    return separation_refusal(after)
