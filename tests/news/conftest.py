import pytest
from django.contrib.auth.models import Group

from careers.roles import EDITOR_GROUP
from news.models.cta import DEFAULT_BUTTONS
from tests.factories import CallToActionFactory, CategoryFactory, StaffFactory


@pytest.fixture
def ai_category():
    return CategoryFactory(slug="ai", name="AI", order=1)


@pytest.fixture
def web3_category():
    return CategoryFactory(slug="web3", name="Web3", order=2)


@pytest.fixture
def default_cta():
    return CallToActionFactory(slug="plusweb3-career", is_default=True, buttons=DEFAULT_BUTTONS)


@pytest.fixture
def staff_client(client, staff_roles):
    """An editor: staff who may read articles, drafts included."""
    editor = StaffFactory()
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    client.force_login(editor)
    return client
