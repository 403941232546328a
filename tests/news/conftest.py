import pytest

from tests.factories import CallToActionFactory, CategoryFactory, StaffFactory


@pytest.fixture
def ai_category():
    return CategoryFactory(slug="ai", name="AI", order=1)


@pytest.fixture
def web3_category():
    return CategoryFactory(slug="web3", name="Web3", order=2)


@pytest.fixture
def default_cta():
    return CallToActionFactory(slug="plusweb3-career", is_default=True)


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client
