"""The MIME message of an outbox row, with each distinct header parsed and folded once.

The standard library's modern email API parses every header value into a tree when it is
set and refolds that tree when the message is written; for our Japanese subjects and
display names that is RFC 2047 encoding, chunk by chunk, and it was about half of the CPU
of a send. The headers that say who we are and how the parts are encoded (From, Reply-To,
MIME-Version, each part's Content-Type and Content-Transfer-Encoding) repeat from email to
email, so this policy keeps their parsed header and folded text per process. Only those:
a subject or an address can name a person, and a worker's memory must not keep what an
erasure removed from the database. A header object is immutable and its folding depends
only on its name, text and the policy's line settings, which are all in the keys, so a
cached header is exactly the one the standard library would have built.
"""

import email.policy
from functools import lru_cache

from django.core.mail import EmailMultiAlternatives

# Distinct header values kept per worker process; a value seen once (a multipart boundary)
# is pushed out by the ones that repeat.
_CACHED_HEADERS = 1024
# Lower-cased names of the headers that never carry anything of a person.
_OURS = frozenset({"from", "reply-to", "mime-version", "content-type", "content-transfer-encoding"})


@lru_cache(maxsize=_CACHED_HEADERS)
def _parsed(header_factory, name: str, value: str):
    return header_factory(name, value)


# Keyed by the policy's line settings, not the policy: a generator clones it per message.
_folds: dict[tuple, str] = {}


class CachedHeaderPolicy(email.policy.EmailPolicy):
    """email.policy.default, remembering parsed and folded headers (see the module docstring)."""

    def header_store_parse(self, name, value):
        # The standard library refuses a value of several lines (header injection); such a
        # value takes its path and is refused there.
        if name.lower() in _OURS and type(value) is str and len(value.splitlines()) <= 1:
            return (name, _parsed(self.header_factory, name, value))
        return super().header_store_parse(name, value)

    def _fold(self, name, value, refold_binary=False):
        if not hasattr(value, "name") or value.name.lower() not in _OURS:
            return super()._fold(name, value, refold_binary=refold_binary)
        key = (
            self.linesep,
            self.max_line_length,
            self.utf8,
            type(value),
            value.name,
            str(value),
        )
        folded = _folds.get(key)
        if folded is None:
            folded = value.fold(policy=self)
            if len(_folds) >= _CACHED_HEADERS:
                _folds.clear()
            _folds[key] = folded
        return folded


POLICY = CachedHeaderPolicy()
# The policies Django's backends ask for (the SMTP backend names email.policy.SMTP, the
# others take the default), each with the cache; any other policy is used as given.
_CACHED_FOR = {
    email.policy.default: POLICY,
    email.policy.SMTP: POLICY.clone(linesep="\r\n"),
}


class OutboxMessage(EmailMultiAlternatives):
    """Django's message, built under the caching twin of the policy a backend asks for."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=_CACHED_FOR.get(policy, policy))
