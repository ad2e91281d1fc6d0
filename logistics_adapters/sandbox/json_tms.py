"""A transport management system with a JSON API, for carriers without EDI.

``POST /tms/loads`` takes a load tender as the suite's canonical JSON (a ``TransportOrder``)
and answers it at once, as REST TMS APIs do: the same order back with ``status``
``accepted`` (and the TMS's own load id as ``partner_reference``), ``declined`` (with a
``decline_reason``) or ``conditional`` (with ``notes``), by scenario. A tender whose
``purpose`` is ``cancel`` is acknowledged and the load forgotten. ``GET /tms/loads/{ref}``
gives a load's answer again. Milestones go back as signed webhooks (the sandbox's own
scheme), canonical JSON ``Milestone`` objects, with :meth:`JsonTms.milestone_payload`.
"""

import itertools
import threading

from ..canonical import Milestone, TransportOrder, from_jsonable, to_jsonable
from ..errors import ParseError
from .core import HttpError, RouteSet, json_response, route

SCENARIOS = ("accept", "decline", "conditional")
STATUSES = {"accept": "accepted", "decline": "declined", "conditional": "conditional"}


class JsonTms(RouteSet):
    """The JSON TMS personality, mounted under ``/tms``."""

    name = "json-tms"
    prefix = "/tms"

    def __init__(self, scenario="accept", decline_reason="No capacity on this lane"):
        if scenario not in SCENARIOS:
            raise ValueError(f"scenario {scenario!r} is not one of {', '.join(SCENARIOS)}")
        self.scenario = scenario
        self.decline_reason = decline_reason
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        """Forget every load."""
        with self._lock:
            self.loads = {}
            self._ids = itertools.count(1)

    @route("POST", "/loads")
    def tender(self, request):
        """Answer a load tender at once, by scenario; a cancellation forgets the load."""
        order = _order_of(request.json())
        with self._lock:
            if order.purpose == "cancel":
                self.loads.pop(order.reference, None)
                return json_response(200, {"reference": order.reference, "cancelled": True})
            answer = self._answer(order)
            self.loads[order.reference] = answer
        return json_response(200, to_jsonable(answer))

    @route("GET", "/loads/{reference}")
    def get_load(self, request, reference):
        """A load's answer, as given."""
        with self._lock:
            answer = self.loads.get(reference)
        if answer is None:
            raise HttpError(404, f"no load {reference!r}")
        return json_response(200, to_jsonable(answer))

    def _answer(self, order):
        status = STATUSES[self.scenario]
        load_id = order.partner_reference or f"LD{next(self._ids):06d}"
        return TransportOrder(
            reference=order.reference,
            partner_reference=load_id if status == "accepted" else "",
            carrier=order.carrier,
            status=status,
            decline_reason=self.decline_reason if status == "declined" else "",
            notes="Pickup moved by one day" if status == "conditional" else "",
        )

    @staticmethod
    def milestone_payload(reference, status, partner_status, occurred_at, **values):
        """The body of a status webhook: one canonical milestone of load ``reference``."""
        milestone = Milestone(
            reference=reference,
            status=status,
            partner_status=partner_status,
            occurred_at=occurred_at,
            **values,
        )
        return to_jsonable([milestone])


def _order_of(document):
    try:
        order = from_jsonable(document)
    except ParseError as exc:
        raise HttpError(400, f"not a canonical transport order: {exc}") from None
    if not isinstance(order, TransportOrder):
        raise HttpError(400, "a load tender is one TransportOrder object")
    return order
