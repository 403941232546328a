"""Absolute URLs and JSON-LD blocks for the public pages' structured data."""

import json

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

# What json_script escapes, so a title containing </script> cannot end the block.
_JSON_LD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute_url(path: str) -> str:
    """`path` on SITE_URL, as canonical links and structured data need; full URLs pass through."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def json_ld(data: dict) -> SafeString:
    """`data` as the body of a <script type="application/ld+json"> block."""
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_LD_ESCAPES)
    return mark_safe(text)  # noqa: S308 - JSON with <, > and & escaped, as json_script does
