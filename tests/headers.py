"""Read security headers the way a browser does."""


def parse_csp(header):
    """{directive: [sources]} of a Content-Security-Policy header."""
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name.lower()] = sources
    return directives
