"""What the text checks read of a ``Content``."""

from portal.plain_text import plain_text


def readable_texts(content):
    """(label, text) of everything a reader reads in ``content``: the text fields, then the
    plain text of the rich-text fields, captions and images' descriptions included."""
    return [
        *content.texts.items(),
        *((label, plain_text(html)) for label, html in content.html.items()),
    ]
