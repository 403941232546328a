"""gunicorn's access log without the keys our links carry (config/gunicorn.conf.py uses it).

Unsubscribe, confirmation, booking and calendar links are the only key their holder needs,
and access logs are kept longer and read by more people than the database. So the log keeps
the method, the path with every token-like segment replaced, and no query string at all.
"""

import re

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# A slug is lower-case words and digits; a token (secrets.token_urlsafe, a signed value) is
# long and mixes cases or carries `_`, `:` or `.`. Article slugs are lower-case by convention;
# a long mixed-case one is merely hidden too.
_TOKEN_SEGMENT = re.compile(r"^(?=.{20,})(?![a-z0-9-]+$).*$")
# Atoms (and their environ twins) that carry the requested URL or the referring one.
_URL_ATOMS = ("U", "f", "{referer}i", "{raw_uri}e", "{path_info}e", "{http_referer}e")
_QUERY_ATOMS = ("q", "{query_string}e")


def redact_url(url: str) -> str:
    """The URL without its query and fragment, each token-like path segment replaced."""
    if not url or url == "-":
        return url
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    return "/".join(
        REDACTED if _TOKEN_SEGMENT.match(segment) else segment for segment in path.split("/")
    )


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in _URL_ATOMS:
            if isinstance(atoms.get(name), str):
                atoms[name] = redact_url(atoms[name])
        for name in _QUERY_ATOMS:
            if name in atoms:
                atoms[name] = ""
        atoms["r"] = " ".join(
            (
                environ.get("REQUEST_METHOD", "-"),
                redact_url(environ.get("RAW_URI", "")),
                environ.get("SERVER_PROTOCOL", "-"),
            )
        )
        return atoms
