"""An email's HTML as its recipient sees it, shown to staff without loosening our CSP.

The response is its own sandboxed document: no script runs, nothing loads from our origin,
and the only styles allowed are the exact ones this email carries, named by their hashes
(CSP level 3: 'unsafe-hashes' for style attributes), never 'unsafe-inline'.
"""

import base64
import hashlib
from html.parser import HTMLParser

from django.http import HttpResponse
from django.utils.csp import CSP

from outbox.models import Email


class _Styles(HTMLParser):
    """The texts of every style attribute and <style> element of a document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes: set[str] = set()
        self.elements: set[str] = set()
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "style" and value is not None:
                self.attributes.add(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.elements.add(data)


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def preview_policy(html: str) -> str:
    styles = _Styles()
    styles.feed(html)
    directives = [
        f"default-src {CSP.NONE}",
        # Pictures the recipient's mail client would load; nothing else leaves the page.
        "img-src https: data:",
        f"style-src-elem {' '.join(map(_hash, sorted(styles.elements))) or CSP.NONE}",
        "style-src-attr "
        + (
            f"{CSP.UNSAFE_HASHES} {' '.join(map(_hash, sorted(styles.attributes)))}"
            if styles.attributes
            else CSP.NONE
        ),
        f"frame-ancestors {CSP.SELF}",
        f"form-action {CSP.NONE}",
        "sandbox",
    ]
    return "; ".join(directives)


def html_preview_response(email: Email) -> HttpResponse:
    response = HttpResponse(email.body_html, content_type="text/html; charset=utf-8")
    # Set here, so the CSP middleware leaves this document's own policy in place.
    response[CSP.HEADER_ENFORCE] = preview_policy(email.body_html)
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "no-store"
    return response
