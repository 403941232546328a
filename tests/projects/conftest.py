"""Staff logins per role come from the staff tests' fixtures."""

from tests.staff.conftest import editor, manager, staff_roles, superuser  # noqa: F401
