"""Shared test settings (bounded hypothesis runs, no example database on disk) and fixtures."""

import pytest
import responses
from hypothesis import HealthCheck, settings

from .helpers import loopback_session

settings.register_profile(
    "logistics",
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("logistics")


@pytest.fixture
def http_auth():
    """The credentials the ``http`` session sends; a test module may override it."""
    return None


@pytest.fixture
def http(http_auth):
    """A loopback ``requests`` session, closed after the test."""
    with loopback_session(http_auth) as session:
        yield session


@pytest.fixture
def mocked():
    """Every outbound ``requests`` call answered by ``responses``."""
    with responses.RequestsMock() as rsps:
        yield rsps
