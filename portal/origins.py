"""Is a request sent by one of our own pages? For endpoints without a CSRF token."""

from urllib.parse import urlsplit

# Sec-Fetch-Site values a browser sends for requests that our own pages did not start.
_FOREIGN_FETCH_SITES = {"cross-site", "same-site"}


def is_foreign(request):
    """True when the browser says another site sent the request: its ``Origin`` (or, without one,
    ``Referer``) is not this site's, or ``Sec-Fetch-Site`` says so. Requests without these headers
    (old browsers, privacy tools) are not foreign."""
    if request.headers.get("Sec-Fetch-Site") in _FOREIGN_FETCH_SITES:
        return True
    own = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin != own
    referer = request.headers.get("Referer")
    if referer:
        try:
            parts = urlsplit(referer)
        except ValueError:  # e.g. a broken IPv6 address: not one of our pages
            return True
        return f"{parts.scheme}://{parts.netloc}" != own
    return False
