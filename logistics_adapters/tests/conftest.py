"""Shared test settings: bounded hypothesis runs, no example database on disk."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "logistics",
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("logistics")
