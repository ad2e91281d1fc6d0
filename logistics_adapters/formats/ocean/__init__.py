"""Ocean container tracking standards and public schemas, no partner credentials in them.

* ``dcsa-events`` (:mod:`.dcsa`): DCSA Track & Trace 2.2 event lists (EQUIPMENT, TRANSPORT and
  SHIPMENT events) into Milestones;
* ``terminal49-webhook`` (:mod:`.terminal49`): Terminal49's JSON:API webhook notifications into
  Milestones for their container transport events.

Their status tables, with labels, are in :mod:`.statuses`.
"""

from . import dcsa, terminal49

__all__ = ["dcsa", "terminal49"]
