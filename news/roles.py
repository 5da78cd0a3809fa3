"""The editorial roles: one Django group each, with exactly these permissions.

The groups are created by a data migration (``news/migrations/0003_roles``, which keeps a
frozen copy of this table); the tests check that the two agree. A person may belong to several
groups (a final-level reviewer who also edits is in 审核员 and 编辑).

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
        *_SCHOOL_CONTENT,
    ],
    # Reads everything, approves or rejects at their levels, publishes what passed the final
    # review and withdraws. Editing needs the 编辑 group as well.
    REVIEWER: [
        "brands.all_schools",
        "news.view_article",
        "news.view_articleattachment",
        "news.approve_article",
        "news.publish_article",
    ],
    # Users, roles, channels, site settings and reviewer levels, plus what editors do; publishes
    # (after the final approval, like everybody), withdraws, deletes, moves publish times.
    SITE_MANAGER: [
        *_ARTICLE_WRITING,
        *_SCHOOL_CONTENT,
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
