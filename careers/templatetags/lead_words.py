"""A lead's choices in the words of the form the person filled in."""

from django import template

from careers.forms.company_inquiry import HIRING_FIELD_CHOICES

register = template.Library()


@register.filter
def hiring_field(interest: str) -> str:
    """A company's 採用したい領域 as its form offered it (AI領域の人材), not a candidate's."""
    return str(dict(HIRING_FIELD_CHOICES).get(interest, interest))
