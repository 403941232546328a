from django import template

from careers.booking.links import booking_url

register = template.Library()


@register.simple_tag
def booking_link(lead) -> str:
    """A fresh signed link to the lead's booking page (the thank-you page's button)."""
    return booking_url(lead=lead)
