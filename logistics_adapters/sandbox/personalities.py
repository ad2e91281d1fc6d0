"""The registry of sandbox personalities: partner APIs the sandbox can serve, by name.

A personality is a :class:`~logistics_adapters.sandbox.core.RouteSet` class. The generic JSON
partner is built in; partner packages register theirs when imported, as a class or as
``"module:attribute"`` (imported on first use, so registering costs nothing).
"""

import importlib

from .generic import GenericPartner

_PERSONALITIES = {"generic": GenericPartner}


def register_personality(name, route_set):
    """Register ``route_set`` (a RouteSet class, or ``"module:attribute"``) under ``name``."""
    _PERSONALITIES[name] = route_set
    return route_set


def available_personalities():
    """Return the names of every personality, sorted."""
    _load_partners()
    return sorted(_PERSONALITIES)


def get_personality(name):
    """Return the RouteSet class of personality ``name``; LookupError naming the known ones."""
    _load_partners()
    try:
        route_set = _PERSONALITIES[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(_PERSONALITIES))
        raise LookupError(f"unknown personality {name!r}; known personalities: {known}") from None
    if isinstance(route_set, str):
        module, _colon, attribute = route_set.partition(":")
        route_set = _PERSONALITIES[name] = getattr(importlib.import_module(module), attribute)
    return route_set


def _load_partners():
    importlib.import_module("logistics_adapters.registry").load_partners()
