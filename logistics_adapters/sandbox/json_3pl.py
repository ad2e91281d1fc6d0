"""A 3PL with a JSON API, ShipBob-like: orders in, shipments out as signed webhooks, polling
for the webhooks that were missed, inventory levels.

:class:`Json3pl` is the EDI 3PL (:mod:`.three_pl`) spoken in JSON: the same order book,
scenarios, stock and drift (its code, shared), with ShipBob's documents instead of X12::

    three_pl = Json3pl(stock={"TILE-6060": 1700, "ADH-20": [[60, "AD2611-07"]]},
                       ship_after=2, webhook_url="http://127.0.0.1:8069/...", secret="whsec_...")
    with Sandbox(route_sets=[three_pl]) as sandbox:
        three_pl.attach(sandbox)  # its webhooks go out on the sandbox's timelines
        ...

Partner routes, under ``/3pl``:

* ``POST /orders``: the suite's canonical JSON ``WarehouseOrder`` (what Odoo posts,
  ``to_jsonable(order)``), outbound. ``purpose`` ``original``: 201 ``{"id", "reference_id",
  "status", "purpose"}`` with the 3PL's own order id (an original of an order still open
  replaces its lines, 200; once closed, it is a new order); ``change``: replaces an open
  order's lines, what was shipped of each line (by line number) counting, 200; ``cancel``:
  closes it, nothing more ships, 200. A body that is no such order is a 400 naming what is
  wrong; a change or cancellation of an unknown order a 404, of a shipped one a 409.
* ``GET /orders/{reference}``: the order's id and status. ``GET
  /orders/{reference}/shipments``: the order's ``order.shipped`` bodies so far, as the webhooks
  carried them (``[]`` before the first; 404 for an unknown order), what the
  ``shipbob-webhook`` codec's ``poll_request`` asks for. The reference is percent-encoded
  (``WH%2FOUT%2F00042``).
* ``GET /inventory``: ShipBob inventory levels (``{"items": [...]}``, by lot where the stock
  has lots, else by location, the location being the warehouse) of the stock, said with the
  standing drift (:meth:`Json3pl.set_drift`), what ``shipbob-inventory`` reads.

Shipments, by scenario (``ship``, ``partial``, ``short``, ``lots``, ``bad``, ``hold``: the
EDI 3PL's, per order or for all), when an order falls due (``ship_after`` seconds after it is
taken, and after each partial shipment; None: only :meth:`Json3pl.advance` or ``POST
/_sandbox/json-3pl/advance``). Each shipment is one package with its tracking number, and
ShipBob's Shipment object as its body: ``id`` (the shipment), ``order_id``, ``reference_id``
(our reference), ``event_time``, ``status`` ``Completed``, ``location``, ``tracking``
(``carrier``, ``carrier_service``, ``tracking_number``, ``shipping_date``), ``products``
(``reference_id`` the order line's number, ``sku``, ``inventory_items`` with their
``quantity`` and ``lot``). It goes out as an ``order.shipped`` webhook, then
``tracking_after`` seconds later as an ``order.shipment.tracking_received`` update (``status``
``InTransit``, ``tracking.tracking_id``, dated then), each POSTed to the webhook URL with
``x-webhook-topic`` and signed ``shipbob-hmac`` with the secret (the 3PL's own, else the
sandbox's; none: no webhook, polling still answers). Delivery is the sandbox's timelines':
retries of connection errors and 5xx with backoff (``webhook_options``: ``max_attempts``,
``backoff``, ``timeout``), a record of each attempt in ``GET /_sandbox/deliveries``. What the
Odoo side must survive (:meth:`Json3pl.set_webhooks`, ``POST /_sandbox/json-3pl/webhooks``):

* ``drop``: an integer N drops the next N webhooks, a number between 0 and 1 written with a
  decimal point (``0.25``) that fraction of them at random (``seed``); a dropped webhook is
  never sent, only polling finds its shipment;
* ``duplicate``: each webhook sent twice in a row (the same ``webhook-id``);
* ``out_of_order``: the tracking update sent before the shipment it follows.

Control routes, under ``/_sandbox/json-3pl``: ``POST /scenario`` (``{"scenario",
"reference"}``), ``POST /advance`` (``{"reference"}``), ``POST /stock`` (``{"stock"}``),
``POST /inventory`` (``{"drift", "percent", "products", "send"}``: the standing drift, and
the levels POSTed as a signed webhook, topic ``sandbox.inventory_levels``, when ``send``),
``POST /webhooks`` (the options above, ``webhook_url``, ``secret``, ``tracking_after``),
``GET /orders``. ``POST /_sandbox/reset`` forgets the orders, the per-order scenarios and the
drift, and puts the first stock back.
"""

import itertools
import logging
import random
import threading
import time
from datetime import timedelta
from urllib.parse import unquote

from ..canonical import from_jsonable
from ..errors import ParseError, SecurityError
from ..partners.shipbob.signature import TOPIC_HEADER, ShipBobHmacScheme
from .core import HttpError, RouteSet, check_keys, control_route, json_response, number, route
from .edi import clock_start
from .three_pl import (
    BAD,
    BAD_PRODUCT,
    CANCELLED,
    CLOSED,
    DEFAULT_UNIT,
    DEFAULT_WAREHOUSE,
    HELD,
    HOLD,
    LOTS,
    NUMBER_DIGITS,
    OPEN,
    PARTIAL,
    SHIP,
    SHIPPED,
    SHORT,
    TRACKING_PREFIX,
    HeldOrder,
    ThreePlPartner,
    _check_drift,
    _copy_stock,
    _is_number,
    _now,
    _pick,
    _plan,
    answered,
    check_stock,
    line_key,
)
from .timeline import MAX_AFTER, DeliveryLog, Timeline

_logger = logging.getLogger(__name__)

SCHEME = ShipBobHmacScheme.code
SHIPPED_TOPIC = "order.shipped"
TRACKING_TOPIC = "order.shipment.tracking_received"
#: The topic of the inventory levels posted on request: the sandbox's own (ShipBob has none).
INVENTORY_TOPIC = "sandbox.inventory_levels"
DEFAULT_CARRIER, DEFAULT_SERVICE = "USPS", "Priority"
DEFAULT_TRACKING_AFTER = 1.0
#: The id of the 3PL's one location (fulfillment center), named after its ``warehouse``.
LOCATION_ID = 1
#: ShipBob's word for each state of an order at the 3PL.
ORDER_STATUSES = {
    OPEN: "Processing",
    HELD: "OnHold",
    PARTIAL: "PartiallyFulfilled",
    SHIPPED: "Fulfilled",
    SHORT: "Fulfilled",
    CANCELLED: "Cancelled",
}
WEBHOOK_KEYS = ("webhook_url", "secret", "drop", "duplicate", "out_of_order", "tracking_after")
WEBHOOK_OPTION_KEYS = ("max_attempts", "backoff", "timeout", "headers")
POLL_SECONDS = 0.05
_INVENTORY_KEYS = ("drift", "percent", "products", "send")


class Json3pl(RouteSet):
    """The ShipBob-like 3PL personality, mounted under ``/3pl``; see the module doc.
    Thread-safe.

    ``warehouse`` names its one location; ``scenario``, ``stock`` and ``ship_after`` are as
    for :class:`~.three_pl.ThreePlPartner`; ``webhook_url`` and ``secret`` say where and how
    its webhooks go (default: the sandbox's, once :meth:`attach`\\ ed); ``drop``,
    ``duplicate``, ``out_of_order`` and ``tracking_after`` as for :meth:`set_webhooks`;
    ``webhook_options`` (``max_attempts``, ``backoff``, ``timeout``) as for a timeline, and
    ``headers`` added to every webhook;
    ``seed`` makes the dropped fraction repeatable; ``first_number`` starts its ids and
    tracking numbers (default: from the clock), ``clock`` gives the seconds ``ship_after``
    counts. ValueError says what is wrong.
    """

    name = "json-3pl"
    prefix = "/3pl"
    unit = DEFAULT_UNIT

    # The EDI 3PL's order book, scenarios, stock and drift, shared as they are: these methods
    # use only the attributes set in ``__init__`` and the ``_work`` written here.
    scenario = ThreePlPartner.scenario
    scenario_for = ThreePlPartner.scenario_for
    set_scenario = ThreePlPartner.set_scenario
    _scenario = ThreePlPartner.__dict__["_scenario"]
    set_stock = ThreePlPartner.set_stock
    stock = ThreePlPartner.stock
    orders = ThreePlPartner.orders
    advance = ThreePlPartner.advance
    ship_due = ThreePlPartner.ship_due
    _due = ThreePlPartner._due
    _count = ThreePlPartner._count
    _counted = ThreePlPartner._counted
    _answer = ThreePlPartner._answer

    def __init__(
        self,
        *,
        warehouse=DEFAULT_WAREHOUSE,
        scenario=SHIP,
        stock=None,
        ship_after=None,
        webhook_url=None,
        secret=None,
        drop=0,
        duplicate=False,
        out_of_order=False,
        tracking_after=DEFAULT_TRACKING_AFTER,
        webhook_options=None,
        seed=None,
        first_number=None,
        clock=time.monotonic,
    ):
        if ship_after is not None and not _is_number(ship_after, minimum=0):
            raise ValueError(f"ship_after must be a number of seconds or None, not {ship_after!r}")
        self.warehouse = warehouse
        self.ship_after = ship_after
        self.clock = clock
        self.sandbox = None
        self._io_lock = threading.RLock()
        self._first_scenario = self._scenario(scenario, 0.0)
        self._first_stock = check_stock(stock or {})
        self._numbers = itertools.count(first_number or clock_start() % 10**NUMBER_DIGITS)
        self._random = random.Random(seed)
        self.webhook_options = dict(webhook_options or {})
        _check_keys(self.webhook_options, WEBHOOK_OPTION_KEYS, "webhook_options")
        self.webhook_url = self.secret = None
        self._drop_next, self._drop_rate = 0, 0.0
        self.duplicate = self.out_of_order = False
        self.tracking_after = DEFAULT_TRACKING_AFTER
        self.set_webhooks(
            webhook_url=webhook_url,
            secret=secret,
            drop=drop,
            duplicate=duplicate,
            out_of_order=out_of_order,
            tracking_after=tracking_after,
        )
        self._stopping = threading.Event()
        self._worker = None
        self.reset()

    def attach(self, sandbox):
        """Send webhooks through ``sandbox`` (its timelines, deliveries and defaults); return
        it."""
        self.sandbox = sandbox
        return sandbox

    def reset(self):
        """Forget the orders, their shipments, the per-order scenarios and the drift; back to
        the first scenario and the first stock."""
        with self._io_lock:
            self._orders = {}
            self._ids = {}
            self._shipments = {}
            self._scenarios = {None: self._first_scenario}
            self._stock = _copy_stock(self._first_stock)
            self._drift = ({}, 0.0, 0)

    def stop(self):
        """Stop shipping in the background (what falls due then waits for :meth:`advance`)."""
        worker, self._worker = self._worker, None
        self._stopping.set()
        if worker is not None:
            worker.join(5.0)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    # -- settings ------------------------------------------------------------------------------

    def set_webhooks(self, **options):
        """Change where and how webhooks go from now on: ``webhook_url`` and ``secret`` (None:
        the sandbox's), ``drop`` (an integer: the next N are dropped; a float from 0 to 1: that
        fraction), ``duplicate`` and ``out_of_order`` (booleans), ``tracking_after`` (seconds
        from a shipment's webhook to its tracking update). Return the settings; ValueError
        says what is wrong, and nothing changes then."""
        _check_keys(options, WEBHOOK_KEYS, "the webhook settings")
        try:
            tracking_after = number(
                options, "tracking_after", default=self.tracking_after, maximum=MAX_AFTER
            )
        except HttpError as exc:
            raise ValueError(exc.reason) from None
        flags = {key: options.get(key, getattr(self, key)) for key in ("duplicate", "out_of_order")}
        for key, value in flags.items():
            if not isinstance(value, bool):
                raise ValueError(f"{key} must be true or false, not {value!r}")
        url = options.get("webhook_url", self.webhook_url)
        secret = options.get("secret", self.secret)
        _check_secret(secret)
        self._check_delivery(url)
        drop = _drop(options["drop"]) if "drop" in options else (self._drop_next, self._drop_rate)
        with self._io_lock:
            self.webhook_url, self.secret = url, secret
            self._drop_next, self._drop_rate = drop
            self.duplicate, self.out_of_order = flags["duplicate"], flags["out_of_order"]
            self.tracking_after = float(tracking_after)
        return self.webhook_settings()

    def webhook_settings(self):
        """Where and how webhooks go, as plain values (the secret left out)."""
        return {
            "webhook_url": self.webhook_url,
            "secret_set": self.secret is not None,
            "drop_next": self._drop_next,
            "drop_rate": self._drop_rate,
            "duplicate": self.duplicate,
            "out_of_order": self.out_of_order,
            "tracking_after": self.tracking_after,
        }

    def set_drift(self, drift=None, *, percent=0.0, products=0):
        """Say the inventory levels from now on with ``drift`` (product code -> quantity
        added) and ``percent`` more of the first ``products`` products, as the EDI 3PL's 846
        does; the stock itself does not change. ValueError says what is wrong."""
        drift = _check_drift(drift)
        if not _is_number(percent, minimum=-100):
            raise ValueError(f"percent must be a number from -100, not {percent!r}")
        if isinstance(products, bool) or not isinstance(products, int) or products < 0:
            raise ValueError(f"products must be a count of products, not {products!r}")
        with self._io_lock:
            self._drift = (dict(drift), float(percent), products)

    # -- partner routes ------------------------------------------------------------------------

    @route("POST", "/orders")
    def take_order(self, request):
        """Keep, change or cancel the order the body holds, by its ``purpose``."""
        order = _order_of(request.json())
        act = {"change": self._change, "cancel": self._cancel}.get(order.purpose, self._keep)
        with self._io_lock:
            status, held = act(order)
            self._start_worker()
            return json_response(status, self._describe(held))

    @route("GET", "/orders/{reference}")
    def get_order(self, request, reference):
        """The order's id and status."""
        with self._io_lock:
            return json_response(200, self._describe(self._held(unquote(reference))))

    @route("GET", "/orders/{reference}/shipments")
    def get_shipments(self, request, reference):
        """The ``order.shipped`` bodies of the order so far."""
        with self._io_lock:
            reference = self._held(unquote(reference)).reference
            return json_response(200, list(self._shipments.get(reference, [])))

    @route("GET", "/inventory")
    def get_inventory(self, request):
        """The inventory levels, said with the standing drift."""
        return json_response(200, self.inventory())

    def _held(self, reference):
        held = self._orders.get(reference)
        if held is None:
            raise HttpError(404, f"no order {reference!r}")
        return held

    def _describe(self, held):
        return {
            "id": self._ids[held.reference],
            "reference_id": held.reference,
            "status": ORDER_STATUSES[held.status],
            "purpose": held.order.purpose,
        }

    # -- orders in -----------------------------------------------------------------------------

    def _keep(self, order):
        """A new order (anew once the one before is closed), or an open one's lines replaced."""
        held = self._orders.get(order.reference)
        if held is not None and held.status not in CLOSED:
            held.order = order
            return 200, held
        self._orders.pop(order.reference, None)
        self._shipments.pop(order.reference, None)
        held = self._orders[order.reference] = HeldOrder(order, self._due())
        self._ids[order.reference] = next(self._numbers)
        return 201, held

    def _change(self, order):
        held = self._open(order.reference, "change")
        held.order = order
        return 200, held

    def _cancel(self, order):
        held = self._held(order.reference)
        if held.status != CANCELLED:  # cancelled again: the same answer
            self._open(order.reference, "cancel").status = CANCELLED
        return 200, held

    def _open(self, reference, what):
        held = self._held(reference)
        if held.status in CLOSED:
            status = ORDER_STATUSES[held.status].lower()
            raise HttpError(409, f"order {reference!r} is {status}: too late to {what} it")
        return held

    # -- shipments out -------------------------------------------------------------------------

    def _work(self, held):
        """Ship what ``held`` is due to by its scenario, now: its shipment's webhooks (a list
        of one, or empty)."""
        if held.status in CLOSED:
            return []
        scenario = self.scenario_for(held.reference)
        if scenario.name == HOLD:
            held.status = HELD
            return []
        open_lines = held.open_lines()
        if not open_lines:  # a change left nothing to ship
            held.status = SHIPPED
            return []
        plan = _plan(open_lines, scenario.name, first=not held.shipped)
        products = []
        for line, _left, quantity in plan:
            held.shipped[line_key(line)] = held.shipped.get(line_key(line), 0.0) + quantity
            if quantity:
                lots = self._stock.get(line.product_code, {})  # none held: a copy, not kept
                lots = _pick(lots, quantity, line.lot_number, scenario.name == LOTS)
                products.append(self._product(line, lots))
        if products and scenario.name == BAD:
            products[0]["sku"] = BAD_PRODUCT
        everything = len(plan) == len(open_lines) and all(q == left for _l, left, q in plan)
        held.status = SHORT if scenario.name == SHORT else SHIPPED if everything else PARTIAL
        held.due_at = self._due()
        shipment = self._shipment(held, products)
        self._shipments.setdefault(held.reference, []).append(shipment)
        sent = {
            "shipment_id": shipment["id"],
            "tracking_number": shipment["tracking"]["tracking_number"],
            "scenario": scenario.name,
            "status": held.status,
            "webhooks": self._deliver(shipment, self._tracking_update(shipment)),
        }
        held.sent.append(sent)
        return [{"reference": held.reference, **sent}]

    def _product(self, line, lots):
        """A product of a shipment body: the order ``line`` shipped from ``lots``."""
        sku = line.product_code
        return {
            "id": next(self._numbers),
            "reference_id": line.line_number or sku,
            "name": line.description or sku,
            "sku": sku,
            "inventory_items": [
                {"quantity": taken, "lot": lot or None, "serial_numbers": []} for lot, taken in lots
            ],
        }

    def _shipment(self, held, products):
        """ShipBob's Shipment object of what ships now."""
        number = next(self._numbers)
        shipped_at = _stamp(_now())
        return {
            "id": number,
            "order_id": self._ids[held.reference],
            "reference_id": held.reference,
            "event_time": shipped_at,
            "status": "Completed",
            "location": {"id": LOCATION_ID, "name": self.warehouse},
            "tracking": {
                "carrier": held.order.carrier or DEFAULT_CARRIER,
                "carrier_service": held.order.service or DEFAULT_SERVICE,
                "tracking_number": f"{TRACKING_PREFIX}{number:010d}",
                "shipping_date": shipped_at,
            },
            "products": products,
            "actual_fulfillment_date": shipped_at,
        }

    def _tracking_update(self, shipment):
        """The ``order.shipment.tracking_received`` body that follows ``shipment``."""
        tracking = shipment["tracking"]
        return {
            "event_time": _stamp(_now() + timedelta(seconds=self.tracking_after)),
            "order_id": shipment["order_id"],
            "shipment_id": shipment["id"],
            "reference_id": shipment["reference_id"],
            "status": "InTransit",
            "tracking": {
                "carrier": tracking["carrier"],
                "carrier_service": tracking["carrier_service"],
                "tracking_id": tracking["tracking_number"],
            },
        }

    # -- webhooks ------------------------------------------------------------------------------

    def _deliver(self, shipment, update):
        """Play the shipment's two webhooks, the options applied; what became of each."""
        events = [(SHIPPED_TOPIC, shipment), (TRACKING_TOPIC, update)]
        if self.out_of_order:
            events.reverse()
        planned = [(index * self.tracking_after, *event) for index, event in enumerate(events)]
        dropped = [self._dropped() for _event in planned]
        kept = [event for event, drop in zip(planned, dropped, strict=True) if not drop]
        outcome = self._play(kept, duplicate=2 if self.duplicate else 1)
        return [
            {"topic": topic, **({"state": "dropped"} if drop else outcome)}
            for (_after, topic, _body), drop in zip(planned, dropped, strict=True)
        ]

    def _play(self, kept, duplicate=1):
        """Send ``kept`` (``(after, topic, body)``) on a timeline of the sandbox; what became
        of them: ``{"state": "sent", "timeline": id}``, else ``not sent`` and why."""
        url, secret = self._target()
        if not url or secret is None or self.sandbox is None:
            return {"state": "not sent", "reason": "no webhook URL, secret or sandbox"}
        if not kept:
            return {"state": "not sent", "reason": "all dropped"}
        try:
            timeline = self.sandbox.play(self._spec(url, secret, kept, duplicate))
        except HttpError as exc:  # the sandbox is stopping
            _logger.warning("JSON 3PL sandbox: webhooks not sent: %s", exc.reason)
            return {"state": "not sent", "reason": exc.reason}
        return {"state": "sent", "timeline": timeline.id}

    def _spec(self, url, secret, kept, duplicate=1):
        """The timeline of ``kept`` (``(after, topic, body)``)."""
        options = dict(self.webhook_options)
        headers = options.pop("headers", {})
        events = [
            {"after": after, "body": body, "headers": {**headers, TOPIC_HEADER: topic}}
            for after, topic, body in kept
        ]
        return {
            "webhook_url": url,
            "secret": secret,
            "scheme": SCHEME,
            "duplicate": duplicate,
            "events": events,
            **options,
        }

    def _target(self):
        """The webhook URL and secret: the 3PL's own, else the sandbox's."""
        sandbox = self.sandbox
        url = self.webhook_url or (sandbox.webhook_url if sandbox else None)
        secret = self.secret if self.secret is not None else getattr(sandbox, "secret", None)
        return url, secret

    def _dropped(self):
        """Whether the webhook about to be sent is dropped (and counted so)."""
        if self._drop_next:
            self._drop_next -= 1
            return True
        return self._drop_rate > 0 and self._random.random() < self._drop_rate

    def _check_delivery(self, url):
        """Refuse a webhook URL or option a timeline would refuse, now rather than later."""
        try:
            spec = self._spec(url or "http://127.0.0.1/check", "check", [(0, "check", {})])
            Timeline(spec, DeliveryLog())
        except HttpError as exc:
            raise ValueError(f"bad webhook setting: {exc.reason}") from None

    # -- background shipping -------------------------------------------------------------------

    def _start_worker(self):
        """Start shipping what falls due in a daemon thread (once; only with ``ship_after``)."""
        if self.ship_after is None or self._worker is not None:
            return
        self._stopping.clear()
        self._worker = threading.Thread(target=self._run, name="sandbox-json-3pl", daemon=True)
        self._worker.start()

    def _run(self):
        while not self._stopping.wait(POLL_SECONDS):
            try:
                self.ship_due()
            except Exception:  # keep shipping the other orders
                _logger.exception("JSON 3PL sandbox: shipping failed")

    # -- inventory -----------------------------------------------------------------------------

    def inventory(self):
        """ShipBob's inventory levels of the stock now, said with the drift
        (:meth:`set_drift`)."""
        with self._io_lock:
            lines = self._count(*self._drift)
        by_sku = {}
        for line in lines:
            by_sku.setdefault(line.product_code, []).append(line)
        items = enumerate(by_sku.items(), 1)
        return {"items": [self._item(index, sku, found) for index, (sku, found) in items]}

    def _item(self, index, sku, lines):
        """One SKU's levels: by lot when it has some, else at the warehouse."""
        item = {"inventory_id": index, "name": sku, "sku": sku}
        if not any(line.lot_number for line in lines):
            item["locations"] = [self._levels(sum(line.quantity for line in lines))]
            return item
        item["lots"] = [
            {
                "lot_number": line.lot_number or None,
                **self._levels(line.quantity, place=False),
                "locations": [self._levels(line.quantity)],
            }
            for line in lines
        ]
        return item

    def _levels(self, quantity, place=True):
        levels = {
            "on_hand_quantity": quantity,
            "fulfillable_quantity": quantity,
            "committed_quantity": 0,
            "awaiting_quantity": 0,
            "internal_transfer_quantity": 0,
        }
        return {"location_id": LOCATION_ID, "name": self.warehouse, **levels} if place else levels

    def send_inventory(self):
        """POST the inventory levels (with the drift) as a signed webhook; what became of
        it."""
        return [{"topic": INVENTORY_TOPIC, **self._play([(0, INVENTORY_TOPIC, self.inventory())])}]

    # -- control routes (served under /_sandbox/json-3pl) --------------------------------------

    # Served in this order: ``POST /scenario``, ``/advance``, ``/stock``, ``/inventory``,
    # ``/webhooks``, ``GET /orders``. The EDI 3PL's are shared as they are, their routes
    # coming along; its scenario action takes no ``damaged`` here (nothing is received).
    _http_scenario = control_route("POST", "/scenario")(
        answered(("scenario", "reference"))(ThreePlPartner._http_scenario.__wrapped__)
    )
    _http_advance = ThreePlPartner._http_advance
    _http_stock = ThreePlPartner._http_stock

    @control_route("POST", "/inventory")
    @answered(_INVENTORY_KEYS)
    def _http_count(self, spec):
        if not isinstance(spec.get("send", False), bool):
            raise ValueError(f"send must be true or false, not {spec['send']!r}")
        percent, products = spec.get("percent", 0.0), spec.get("products", 0)
        self.set_drift(spec.get("drift"), percent=percent, products=products)
        levels = self.inventory()
        sent = self.send_inventory() if spec.get("send") else []
        return {**levels, "webhooks": sent}

    @control_route("POST", "/webhooks")
    @answered(WEBHOOK_KEYS)
    def _http_webhooks(self, spec):
        return self.set_webhooks(**spec)

    _http_orders = ThreePlPartner._http_orders


def _order_of(document):
    """The canonical WarehouseOrder of a POSTed body, or HttpError(400) saying what is
    wrong."""
    if document.get("type") != "WarehouseOrder":
        raise HttpError(400, 'an order is one canonical WarehouseOrder ("type": "WarehouseOrder")')
    try:
        order = from_jsonable(document)
    except ParseError as exc:
        raise HttpError(400, f"not a canonical warehouse order: {exc}") from None
    if not order.reference.strip():
        raise HttpError(400, "the order has no reference")
    if order.kind != "outbound":
        raise HttpError(400, "this 3PL takes outbound orders only (kind 'outbound')")
    if order.purpose != "cancel" and not order.lines:
        raise HttpError(400, f"order {order.reference!r} has no lines")
    for index, line in enumerate(order.lines):
        if not line.product_code.strip() or not line.quantity > 0:
            raise HttpError(400, f"lines[{index}]: a product code and a positive quantity")
    return order


def _check_keys(spec, allowed, what):
    """:func:`~.core.check_keys`, refusing with a ValueError."""
    try:
        check_keys(spec, allowed, what)
    except HttpError as exc:
        raise ValueError(exc.reason) from None


def _check_secret(secret):
    """Refuse a secret the scheme cannot sign with (a ``whsec_`` one that is no base64)."""
    if secret is None:
        return
    if not isinstance(secret, str) or not secret:
        raise ValueError("secret must be some text")
    try:
        ShipBobHmacScheme().sign(b"", secret)
    except SecurityError as exc:
        raise ValueError(str(exc)) from None


def _drop(value):
    """``(next N dropped, fraction dropped)`` of the ``drop`` setting."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value, 0.0
    if isinstance(value, float) and 0 <= value <= 1:
        return 0, value
    raise ValueError(
        f"drop must be a count of webhooks (2) or a fraction of them (0.25), not {value!r}"
    )


def _stamp(moment):
    """``moment`` (aware, UTC) as ShipBob writes times: ISO 8601 with ``Z``."""
    return moment.isoformat().replace("+00:00", "Z")
