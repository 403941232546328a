"""What staff call each other on screen: a name, never a login name when a name is known."""

from django.utils.translation import gettext as _

from core.personal_data import user_display_name


def staff_name(user) -> str:
    """The advisor's name, else 姓 名, else the login name; "システム" for automatic work.

    Callers that list many select_related("…__advisor") so this costs no query per row.
    """
    if user is None:
        return _("システム")
    advisor = getattr(user, "advisor", None)
    if advisor is not None:
        return advisor.name
    return user_display_name(user)
