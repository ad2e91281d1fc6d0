"""ISO 9735 service characters and character repertoires (syntax levels UNOA...UNOY).

A :class:`Delimiters` is what a UNA service string advice declares; :data:`DEFAULT` is the set
used when there is none (``UNA:+.? '``). Each syntax identifier names a character repertoire
and the byte encoding of the interchange: the writer refuses a character outside the
repertoire (:func:`check_repertoire`), the reader reports one (:func:`invalid_character`).
"""

import re
from typing import NamedTuple

from ...errors import AdapterError


class Delimiters(NamedTuple):
    """The six UNA service characters; ``release`` and ``repetition`` may be a space (unused)."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = " "
    terminator: str = "'"

    @classmethod
    def from_una(cls, chars):
        """The delimiters of the six characters following ``UNA``."""
        return cls(*chars)

    @property
    def una(self):
        """The service string advice declaring these delimiters (``UNA:+.? '``)."""
        return "UNA" + "".join(self)

    @property
    def separators(self):
        """The characters a value must escape with the release character."""
        chars = [self.component, self.element, self.terminator, self.release]
        if self.repetition != " ":
            chars.append(self.repetition)
        return "".join(chars)

    def problem(self):
        """Why these delimiters cannot be used (text), or ``""`` when they can."""
        roles = [self.component, self.element, self.terminator]
        if self.release != " ":
            roles.append(self.release)
        if self.repetition != " ":
            roles.append(self.repetition)
        if len(set(roles)) != len(roles):
            return f"service characters {''.join(self)!r} are not distinct"
        if any(not char.isascii() or char.isalnum() or char == " " for char in roles):
            return f"service characters {''.join(self)!r} must be ASCII punctuation"
        return ""


DEFAULT = Delimiters()
#: Level B's default separators without UNA: IS1 (component), IS3 (element), IS4 (terminator).
LEVEL_B_INFORMATION_SEPARATORS = Delimiters("\x1f", "\x1d", ".", " ", " ", "\x1c")

_LEVEL_A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-()/='+:?!\"%&*;<>"
#: ISO 646's invariant characters: level A plus lower case and the low line.
_LEVEL_B = _LEVEL_A + "abcdefghijklmnopqrstuvwxyz_"

#: Syntax identifier -> the Python codec of its byte encoding.
SYNTAX_LEVELS = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "UNOC": "latin-1",
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOG": "iso8859-3",
    "UNOH": "iso8859-4",
    "UNOI": "iso8859-6",
    "UNOJ": "iso8859-8",
    "UNOK": "iso8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}
#: The levels that list their characters; the others allow what their codec writes, control
#: characters excepted.
_REPERTOIRES = {"UNOA": _LEVEL_A, "UNOB": _LEVEL_B}

_OUTSIDE = {name: re.compile("[^" + re.escape(chars) + "]") for name, chars in _REPERTOIRES.items()}
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class RepertoireError(AdapterError, ValueError):
    """A value holds a character its syntax level cannot carry (raised by the writer)."""

    def __init__(self, message, *, character="", segment="", element=0, component=0):
        super().__init__(message)
        self.character = character
        self.segment = segment
        self.element = element
        self.component = component


def encoding_of(syntax):
    """The Python codec writing ``syntax`` (``UNOA`` -> ascii); ValueError when unknown."""
    try:
        return SYNTAX_LEVELS[syntax]
    except KeyError:
        known = ", ".join(SYNTAX_LEVELS)
        raise ValueError(f"unknown syntax identifier {syntax!r}; known: {known}") from None


def decodings_of(syntax, utf8_hint=False):
    """The codecs to try, in order, on an interchange declared as ``syntax``: levels A and B
    as UTF-8 (a superset of their ASCII), the declared codec, always latin-1 last (any byte)."""
    codec = SYNTAX_LEVELS.get(syntax, "utf-8")
    if codec == "ascii":
        codec = "utf-8"
    order = (["utf-8"] if utf8_hint else []) + [codec, "latin-1"]
    return tuple(dict.fromkeys(order))


def invalid_character(syntax, text, allowed=""):
    """The first character of ``text`` outside ``syntax``'s repertoire (``allowed`` extra,
    such as non-default delimiters), or ``""``; only levels A and B restrict characters
    below their codec."""
    pattern = _OUTSIDE.get(syntax)
    if pattern is not None:
        for match in pattern.finditer(text):
            if match.group() not in allowed:
                return match.group()
        return ""
    control = _CONTROL.search(text)
    if control:
        return control.group()
    try:
        text.encode(SYNTAX_LEVELS.get(syntax, "utf-8"))
    except UnicodeEncodeError as exc:
        return text[exc.start]
    return ""


def check_repertoire(syntax, value, *, segment="", element=0, component=0):
    """Raise :class:`RepertoireError` naming the place when ``value`` has a character outside
    ``syntax``'s repertoire."""
    char = invalid_character(syntax, value)
    if not char:
        return
    hint = "; use UNOB (lower case) or UNOC (ISO 8859-1)" if syntax in _OUTSIDE else ""
    where = f"{segment} element {element}" + (f" component {component}" if component else "")
    raise RepertoireError(
        f"character {char!r} (U+{ord(char):04X}) in {where} is outside the {syntax} "
        f"repertoire{hint}",
        character=char,
        segment=segment,
        element=element,
        component=component,
    )
