"""UN/EDIFACT (ISO 9735): reading, writing and acknowledging interchanges, without Odoo.

* :func:`read` / :class:`EdifactReader` (:mod:`.reader`): interchanges into the shared
  envelope model of :mod:`..edi`, streaming, with envelope checks as discrepancies;
* :func:`render` (:mod:`.writer`): messages into a full interchange, escaped and checked
  against the syntax level's character repertoire;
* :func:`acknowledge` and :func:`read_acknowledgements` (:mod:`.contrl`): CONTRL out and in,
  codes in words (:mod:`.codes`);
* the ``edifact`` codec (:mod:`.codec`);
* the transport messages: ``edifact-iftmin`` (:mod:`.iftmin`, transport orders out and back)
  and ``edifact-iftsta`` (:mod:`.iftsta`, status reports into milestones), on what
  :mod:`.transport` gives them.

Why not pydifact (0.2.3, evaluated): it parses the samples and handles the release
character, but (1) it needs the whole document as one ``str`` (no chunked reading), (2) it
looks for ``'UNA`` anywhere and silently drops every segment before it, and refuses a file of
several interchanges each with its UNA, (3) it neither checks nor enforces the UNOA/UNOB
repertoires and does not escape the syntax 4 repetition separator on write, (4) it
collapses ``A:`` into ``A`` and warns once per segment about missing directories, and (5)
its errors carry no byte offset. The tokenizer here (:mod:`.tokenizer`) reads in chunks and
parses 10,000 small messages in well under a second; pydifact is not a dependency.
"""

from . import iftmin, iftsta
from .codec import EdifactCodec
from .contrl import Acknowledgement, acknowledge, read_acknowledgements
from .reader import EdifactInterchange, EdifactReader, Reading, read, read_header
from .syntax import DEFAULT, Delimiters, RepertoireError
from .tokenizer import Segment, iter_segments, segments_of
from .writer import render

__all__ = [
    "DEFAULT",
    "Acknowledgement",
    "Delimiters",
    "EdifactCodec",
    "EdifactInterchange",
    "EdifactReader",
    "Reading",
    "RepertoireError",
    "Segment",
    "acknowledge",
    "iftmin",
    "iftsta",
    "iter_segments",
    "read",
    "read_acknowledgements",
    "read_header",
    "render",
    "segments_of",
]
