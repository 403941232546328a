"""Normalise what people type before it is validated, so one person has one stored form.

Japanese keyboards produce full-width letters, digits and ＠ as often as ASCII; NFKC folds
them (and half-width katakana) into one form. Every function here is pure: str in, str out.
"""

import re
import unicodedata

# What a phone number may contain besides digits: spaces, hyphens and dashes of every kind
# people type (after NFKC), dots and brackets. Letters are an error, never silently dropped.
_PHONE_DECORATION = re.compile(r"[\s\-‐‑‒–—―ー−.()]")
_PHONE_ALLOWED = re.compile(r"^\+?[0-9]+$")
# Mobile, PHS and IP-phone prefixes: these numbers always have 11 digits.
_ELEVEN_DIGIT_PREFIXES = ("050", "060", "070", "080", "090")

_GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}

# Katakana (with ー, ・, ヴ, small kana) and the spaces between family and given name.
_KATAKANA_NAME = re.compile(r"^[ァ-ヺー・ ]+$")
_WHITESPACE_RUN = re.compile(r"\s+")
_IDEOGRAPHIC_SPACE = "\u3000"

# Control characters, format characters (bidi overrides, zero-width joiners) and the Unicode
# line and paragraph separators: none belongs in a one-line name.
_CONTROL_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}
# After NFKC: a scheme, "www.", or a host name ending in a top-level domain written in one
# case ("evil.com", "EVIL.COM"; not "J.Smith"). 。 is a dot too: mail clients link "evil。com".
_URL_LIKE = re.compile(
    r"(?i:[a-z][a-z0-9+.-]*://|www[.。])"
    r"|[A-Za-z0-9-][.。](?:[a-z]{2,63}|[A-Z]{2,63})(?![A-Za-z0-9])"
)


def nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def normalize_typed_email(value: str) -> str:
    """An address as a person typed it, in the form we store.

    Full-width to ASCII, trimmed, domain lower-cased; the local part keeps its case, because
    a mail server may treat it as case-sensitive and the person's own spelling is what we use.
    """
    value = nfkc(value).strip()
    local, at, domain = value.rpartition("@")
    if not at:
        return value
    return f"{local}@{domain.lower()}"


def email_comparison_key(value: str) -> str:
    """The form two stored addresses are compared in (lookups, digests, limits): case folded.

    For matching only; never store it in place of the address itself.
    """
    return value.strip().lower()


def mailbox_key(value: str) -> str:
    """The mailbox an address delivers to, for counting limits: one person, one key.

    Lower-cased, without a +tag, and for Gmail without dots (Gmail ignores them and
    googlemail.com is the same service), so taro+1@ and t.aro@ count as taro@.
    Never for lookups or storage: two people may own addresses that share a key here.
    """
    local, at, domain = email_comparison_key(nfkc(value)).rpartition("@")
    if not at:
        return domain
    local = local.split("+", 1)[0]
    if domain in _GMAIL_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def normalize_phone(value: str) -> str:
    """Digits only in national form (09012345678); +81 becomes a leading 0.

    Returns the input (folded by NFKC) unchanged when it holds anything other than digits and
    decoration, so the validator can say so instead of guessing.
    """
    value = nfkc(value).strip()
    compact = _PHONE_DECORATION.sub("", value)
    if not _PHONE_ALLOWED.match(compact):
        return value
    if compact.startswith("+81"):
        national = compact[3:]
        # "+81 (0)90…" is common on business cards: the trunk 0 must not be doubled.
        return national if national.startswith("0") else f"0{national}"
    return compact


def is_japanese_phone(value: str) -> bool:
    """A normalised number: mobile/IP phone 11 digits (090, 080, 070, 050, 060), landline 10."""
    if not value.isdigit() or not value.startswith("0") or value.startswith("00"):
        return False
    if value.startswith(_ELEVEN_DIGIT_PREFIXES):
        return len(value) == 11
    return len(value) == 10


def normalize_kana(value: str) -> str:
    """Half-width katakana to full-width, runs of spaces to one full-width space."""
    value = nfkc(value).strip()
    return _WHITESPACE_RUN.sub(_IDEOGRAPHIC_SPACE, value)


def is_katakana_name(value: str) -> bool:
    return bool(_KATAKANA_NAME.match(value.replace(_IDEOGRAPHIC_SPACE, " ")))


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(char) in _CONTROL_CATEGORIES for char in value)


def has_url(value: str) -> bool:
    """Whether the text holds something a mail client would show as a link."""
    return bool(_URL_LIKE.search(nfkc(value)))


# Hiragana ぁ..ゖ and katakana ァ..ヶ sit 0x60 code points apart, letter for letter.
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}
_KATAKANA_TO_HIRAGANA = {katakana: hiragana for hiragana, katakana in _HIRAGANA_TO_KATAKANA.items()}


def search_variants(term: str) -> set[str]:
    """The forms a typed search term may be stored in, so staff find what they type.

    NFKC folds full-width letters and digits and half-width kana (ﾔﾏﾀﾞ → ヤマダ); the kana
    then go both ways (やまだ ↔ ヤマダ), and a phone number loses its decoration
    (090-1234-5678 and ０９０ １２３４ ５６７８ → 09012345678).
    """
    folded = nfkc(term).strip()
    if not folded:
        return set()
    variants = {
        folded,
        folded.translate(_HIRAGANA_TO_KATAKANA),
        folded.translate(_KATAKANA_TO_HIRAGANA),
    }
    phone = normalize_phone(folded)
    if phone.isdigit():
        variants.add(phone)
    return variants


def search_key(text: str) -> str:
    """The one spelling that stored text and typed terms are compared in, for substring search:
    NFKC, then case folded, so ＡＩ, AI and ai (or ﾚｲﾔｰ and レイヤー) are the same."""
    return nfkc(text).casefold()


def normalize_multiline(value: str) -> str:
    """Browsers send CRLF; count and store a line break as one character, as the page shows it."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def clean_attribution(value: str | None, *, max_length: int) -> str:
    """A referrer or UTM value from the URL, safe to store: no control characters, bounded."""
    if not value:
        return ""
    printable = "".join(char for char in value if unicodedata.category(char) != "Cc")
    return printable.strip()[:max_length]
