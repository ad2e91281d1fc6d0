"""ShipHero status table: ShipHero's webhooks carry no shipment status code (a ``Shipment
Update`` is the shipment; carrier statuses come from the carriers' own tracking), so the
table is empty, the shape every partner gives its codecs."""

STATUSES = {}
