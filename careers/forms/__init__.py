"""The forms that make leads, one module per job; import from here.

- fields: the field types (katakana, Japanese phone, normalised email…) and their factories;
- traps: the honeypot and the signed form token (bots are caught, never told);
- base: LeadForm, what every lead form shares;
- consultation, company_inquiry and freelance_application: the forms of the site.
"""

from careers.forms.base import LeadForm
from careers.forms.company_inquiry import HIRING_FIELD_CHOICES, CompanyInquiryForm
from careers.forms.consultation import ConsultationForm
from careers.forms.fields import (
    MESSAGE_MAX_LENGTH,
    NUL_MESSAGE,
    JapanesePhoneField,
    KatakanaField,
    NormalizedEmailField,
)
from careers.forms.freelance_application import FreelanceApplicationForm
from careers.forms.traps import TrapField, form_token_make, form_token_read, traps_check

__all__ = [
    "HIRING_FIELD_CHOICES",
    "MESSAGE_MAX_LENGTH",
    "NUL_MESSAGE",
    "CompanyInquiryForm",
    "ConsultationForm",
    "FreelanceApplicationForm",
    "JapanesePhoneField",
    "KatakanaField",
    "LeadForm",
    "NormalizedEmailField",
    "TrapField",
    "form_token_make",
    "form_token_read",
    "traps_check",
]
