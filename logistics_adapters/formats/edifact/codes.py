"""The UN/EDIFACT service code lists a CONTRL speaks, with their meaning in words.

0083 (action, coded) and 0085 (syntax error, coded) as in the syntax version 4 service code
lists (ISO 9735-4 Annex A); action codes 1, 2, 3, 5 and 6 come from older directories (D.96A)
and are kept to read old acknowledgements. A code missing from a table is described as such.
"""

ACTION_REJECTED = "4"
ACTION_ACKNOWLEDGED = "7"
ACTION_RECEIVED = "8"

#: 0083: code -> (status in one word, meaning).
ACTIONS = {
    "1": ("acknowledged", "acknowledged (this level and all lower levels)"),
    "2": ("acknowledged", "acknowledged, errors detected and reported"),
    "3": ("partially rejected", "one or more rejected at the next lower level"),
    "4": ("rejected", "this level and all lower levels rejected"),
    "5": ("acknowledged", "UNB/UNZ accepted"),
    "6": ("rejected", "UNB/UNZ rejected"),
    "7": (
        "acknowledged",
        "this level acknowledged, next lower level acknowledged if not explicitly rejected",
    ),
    "8": ("received", "interchange received"),
}

#: 0085: code -> meaning.
SYNTAX_ERRORS = {
    "2": "syntax version or level not supported",
    "7": "interchange recipient not actual recipient",
    "12": "invalid value",
    "13": "missing",
    "14": "value not supported in this position",
    "15": "not supported in this position",
    "16": "too many constituents",
    "17": "no agreement",
    "18": "unspecified error",
    "20": "character invalid as service character",
    "21": "invalid character(s)",
    "22": "invalid service character(s)",
    "23": "unknown interchange sender",
    "24": "too old",
    "25": "test indicator not supported",
    "26": "duplicate detected",
    "28": "references do not match",
    "29": "control count does not match number of instances received",
    "30": "functional groups and messages mixed",
    "32": "lower level empty",
    "33": "invalid occurrence outside message, package or group",
    "35": "too many repetitions",
    "36": "too many segment group repetitions",
    "37": "invalid type of character(s)",
    "39": "data element too long",
    "40": "data element too short",
    "45": "trailing separator",
    "46": "character set not supported",
    "47": "envelope functionality not supported",
}

MISSING = "13"
UNSPECIFIED = "18"
INVALID_CHARACTERS = "21"
REFERENCES_DO_NOT_MATCH = "28"
CONTROL_COUNT = "29"
GROUPS_AND_MESSAGES_MIXED = "30"
OUTSIDE_MESSAGE = "33"


def action_status(code):
    """The status an action code gives in one word (``"rejected"``), ``"unknown"`` if none."""
    return ACTIONS.get(code, ("unknown", ""))[0]


def describe_action(code):
    """An 0083 action code in words."""
    entry = ACTIONS.get(code)
    return entry[1] if entry else f"unknown action code {code!r}"


def describe_error(code):
    """An 0085 syntax error code in words."""
    return SYNTAX_ERRORS.get(code) or f"unknown syntax error code {code!r}"
