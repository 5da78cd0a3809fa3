"""Submit a page's form the way a browser does: every field the page renders, with its value.

Tests post back what the change form showed, changed only where the test says so, so they keep
working when fields, inlines or read-only parts of a form change.
"""

import re
from html.parser import HTMLParser

SKIPPED_INPUT_TYPES = {"submit", "button", "reset", "image", "file"}


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data = {}
        self._textarea = None
        self._select = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.in_form = True
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in SKIPPED_INPUT_TYPES:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
                return
            self._add(name, attrs.get("value", ""))
        elif tag == "textarea" and name and "disabled" not in attrs:
            self._textarea = [name, ""]
        elif tag == "select" and name and "disabled" not in attrs:
            self._select = {"name": name, "multiple": "multiple" in attrs, "chosen": []}
            self._select["first"] = None
        elif tag == "option" and self._select is not None:
            if self._select["first"] is None:
                self._select["first"] = attrs.get("value", "")
            if "selected" in attrs:
                self._select["chosen"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            # A browser drops the newline right after <textarea>.
            self._add(name, value[1:] if value.startswith("\n") else value)
            self._textarea = None
        elif tag == "select" and self._select is not None:
            select = self._select
            chosen = select["chosen"]
            if not chosen and not select["multiple"] and select["first"] is not None:
                chosen = [select["first"]]
            for value in chosen:
                self._add(select["name"], value)
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def page_form_data(response, form_id=None, **changes):
    """The fields of the admin form in ``response`` (the change form unless ``form_id`` says
    otherwise), as a dict for ``client.post``; ``changes`` replace values by field name."""
    html = response.content.decode()
    if form_id is None:
        match = re.search(r'<form\b[^>]*\bid="([^"]+_form)"', html)
        form_id = match.group(1) if match else None
    parser = _FormParser(form_id)
    parser.feed(html)
    data = {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}
    data.update(changes)
    data.setdefault("_save", "保存")
    return data


def workflow_click(client, url, action, comment="", **changes):
    """Click the workflow button ``action`` on the change form at ``url``: the form's fields go
    with it, as in a browser (none when the user cannot open the form)."""
    page = client.get(url)
    data = {}
    if page.status_code == 200 and "adminform" in (page.context or {}):
        data = page_form_data(page, **changes)
        data.pop("_save")
    data["_workflow"] = action
    data[f"_workflow_comment_{action}"] = comment
    return client.post(url, data)
