"""Where in a declaration a WCO response points: its ``Pointer`` elements as text.

A response names the place of an error or a statement by a list of ``Pointer`` elements, one
per step down the declaration: ``DocumentSectionCode`` (a class's WCO ID: ``42A`` the
declaration, ``68A`` a goods item), ``SequenceNumeric`` (which one of them, from 1) and on
the last step ``TagID`` (a data element's WCO ID). :func:`pointer_text` writes them as
``42A/67A/68A[1]/02A[2]/360``; :func:`pointer_location` in words, for people:
``Declaration / Goods shipment / Government agency goods item 1 / Additional document 2 /
LPCO Exemption Code``.
"""

import re

from . import xml
from .model_ids import WCO_CLASSES, WCO_ELEMENTS

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z][a-z]*|[a-z]+|\d+")


def read_pointers(holder):
    """The ``(section, sequence, tag)`` of each ``Pointer`` of ``holder`` (an ``Error``)."""
    return [
        (
            xml.text(pointer, "DocumentSectionCode"),
            xml.text(pointer, "SequenceNumeric"),
            xml.text(pointer, "TagID"),
        )
        for pointer in xml.children(holder, "Pointer")
    ]


def pointer_text(pointers):
    """``42A/17C[1]/R144``: the steps joined by ``/``, ``[n]`` after a counted one."""
    steps = []
    for section, sequence, tag in pointers:
        if section:
            steps.append(f"{section}[{sequence}]" if sequence else section)
        if tag:
            steps.append(tag)
    return "/".join(steps)


def pointer_location(pointers):
    """The steps in words: ``Declaration / Authorisation holder 1 / Authorisation holder,
    coded``; an ID this model does not know stays as it is."""
    steps = []
    for section, sequence, tag in pointers:
        if section:
            name = class_label(section)
            steps.append(f"{name} {sequence}" if sequence else name)
        if tag:
            steps.append(WCO_ELEMENTS.get(tag, tag))
    return " / ".join(steps)


def class_label(section):
    """The class of WCO ID ``section`` in words (``68A`` -> ``Government agency goods
    item``); the ID itself when unknown."""
    name = WCO_CLASSES.get(section)
    if not name:
        return section
    words = _WORDS.findall(name)
    return " ".join([words[0], *(w if w.isupper() else w.lower() for w in words[1:])])
