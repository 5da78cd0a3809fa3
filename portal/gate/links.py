"""The gate's look at links and at what the sanitiser removes from rich text.

* Everything the sanitiser removes that the editor should know of (scripts, event handlers,
  hidden styles, unknown tags…) is a note: the public never sees it, but the editor and the
  reviewer learn that the pasted text was not what it looked like.
* A hidden link (暗链) blocks, although the sanitiser drops it too: a link nobody can see in
  submitted text means a page of a compromised site was pasted, or the account is in other
  hands, and a person should look before anything is published.
* Links to other domains than the site's own and ``GATE_LINK_DOMAINS`` are pointed out to the
  reviewer with their host.
"""

from ada_url import URL
from django.conf import settings

from portal import html_tree
from portal.sanitize import sanitize, site_hosts

from .findings import Finding, Level

CONTEXT_CHARS = 40


def check(content):
    findings = []
    for field, html in content.html.items():
        if not html:
            continue
        result = sanitize(html)
        findings.extend(_removal_finding(field, html, removal) for removal in result.removed)
        findings.extend(_image_findings(field, result))
        findings.extend(foreign_links(field, result.html))
    return findings


def _removal_finding(field, html, removal):
    if removal.link:
        return Finding(
            Level.BLOCK,
            "hidden_link",
            field,
            removal.link,
            context_around(html, removal.link),
            f"隐藏链接（暗链）：读者看不到的链接指向 {removal.link}（{removal.count} 处）。"
            "这通常是从被篡改的网页复制来的内容，或账号已被他人使用；请删除这段内容，"
            "并请管理员检查账号安全。",
        )
    return Finding(
        Level.NOTE,
        "removed",
        field,
        removal.label,
        context_around(html, removal.label.rpartition(" ")[2].strip("<>")),
        f"已删除{removal.label}（{removal.count} 处）：网站不会显示这些内容。",
    )


def _image_findings(field, result):
    removed = (
        ("Word 本地图片", result.removed_local_images, "请用“上传图片”重新上传"),
        ("外站图片", result.removed_foreign_images, "请保存后上传到本站"),
    )
    return [
        Finding(
            Level.NOTE,
            "removed",
            field,
            label,
            "",
            f"已删除{label}（{count} 张）：读者的浏览器无法显示，{advice}。",
        )
        for label, count, advice in removed
        if count
    ]


def foreign_links(field, html):
    """A note for every link in sanitised ``html`` to a host outside the allowed domains."""
    findings = []
    seen = set()
    for link in html_tree.parse(html).elements("a"):
        address = link.get("href", "")
        host = link_host(address)
        if host is None or is_allowed_host(host) or address in seen:
            continue
        seen.add(address)
        findings.append(
            Finding(
                Level.NOTE,
                "foreign_link",
                field,
                address,
                f"{host}：{link.text().strip()}",
                f"站外链接：指向 {host}（{address}），请审核员确认这是可靠的网站。",
            )
        )
    return findings


def link_host(address):
    """The host an absolute http(s) ``address`` points to, or None (relative, mailto…)."""
    try:
        url = URL(address.strip())
    except ValueError:
        return None
    return url.hostname if url.protocol in ("http:", "https:") else None


def is_allowed_host(host):
    if host in site_hosts():
        return True
    return any(host == domain or host.endswith(f".{domain}") for domain in _allowed_domains())


def _allowed_domains():
    return [domain.strip().lower().strip(".") for domain in settings.GATE_LINK_DOMAINS if domain]


def context_around(text, needle):
    """A few characters of ``text`` either side of the first ``needle`` (any case), or ""."""
    if not needle:
        return ""
    start = text.lower().find(needle.lower())
    if start < 0:
        return ""
    before = max(0, start - CONTEXT_CHARS)
    return " ".join(text[before : start + len(needle) + CONTEXT_CHARS].split())
