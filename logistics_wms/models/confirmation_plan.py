"""What a 3PL confirmation does to a transfer, worked out whole before anything is
written: a confirmation is applied entirely or not at all."""

from collections import defaultdict

from logistics_adapters.errors import BusinessError

from .stock_picking import CONFIRMING


def tracking_numbers(document):
    """The tracking numbers of a confirmation: its packages' and its own, once each."""
    numbers = [package.tracking_number for package in document.packages]
    numbers.append(document.tracking_number)
    return list(dict.fromkeys(number for number in numbers if number))


class ConfirmationPlan:
    """Reads a canonical ShipConfirmation against ``picking``; ``apply`` then validates
    the picking with it. Every line that cannot be applied is named in one BusinessError,
    with its field, and nothing is written. Plans of one batch may share ``known``, what
    their lookups found (products and units by code), to look each up once."""

    def __init__(self, picking, backend, document, known=None):
        self.env = picking.env
        self.known = {} if known is None else known
        self.picking = picking
        self.backend = backend
        self.document = document
        self.errors = []
        #: move -> [(quantity in the move's unit, lot name or "", package reference)]
        self.parts = defaultdict(list)
        #: (product id, lot name) -> the lot found while reading; an empty one: to create
        self.lots = {}
        self.line_vals = []
        self.tracking_numbers = tracking_numbers(document)
        self._read()
        if self.errors:
            raise BusinessError(
                self.env._(
                    "the confirmation of %(order)s was not applied (nothing of it): %(errors)s",
                    order=document.order_reference,
                    errors="; ".join(self.errors),
                )
            )

    # ------------------------------------------------------------------ reading

    def _read(self):
        moves = self.picking._logistics_wms_moves()
        left = {move: move.product_uom_qty for move in moves}
        if not self.document.lines:
            self.errors.append(self.env._("it has no lines"))
        for index, line in enumerate(self.document.lines, start=1):
            where = self.env._("line %(line)s", line=line.line_number or index)
            product = self._product(line, where)
            if not product:
                continue
            candidates = moves.filtered(lambda move, product=product: move.product_id == product)
            if not candidates:
                self.errors.append(
                    self.env._(
                        "%(where)s, product: %(product)s is not on %(picking)s",
                        where=where,
                        product=product.display_name,
                        picking=self.picking.name,
                    )
                )
                continue
            unit = self._unit(line, where, candidates[0])
            lots = self._lots(line, where, product)
            if unit is None or lots is None:
                continue
            self._assign(line, where, product, unit, lots, candidates, left)

    def _product(self, line, where):
        codes = [line.product_code, *line.product_ids.values()]
        Product = self.env["product.product"].with_context(active_test=False)
        company = self.picking.company_id
        for code in dict.fromkeys(code for code in codes if code):
            key = ("product", company.id, code)
            if key not in self.known:
                self.known[key] = Product.search(
                    [
                        "|",
                        ("default_code", "=", code),
                        ("barcode", "=", code),
                        ("company_id", "in", (False, company.id)),
                    ],
                    limit=2,
                )
            product = self.known[key]
            if len(product) == 1:
                return product
        self.errors.append(
            self.env._(
                "%(where)s, product: no product has the code %(codes)s (internal reference "
                "or barcode)",
                where=where,
                codes=" / ".join(repr(code) for code in codes if code) or "''",
            )
        )
        return None

    def _unit(self, line, where, move):
        if not line.uom:
            return move.product_uom
        key = ("unit", self.backend.id, line.uom)
        if key not in self.known:
            self.known[key] = self.env["logistics.wms.uom"]._uom_of(self.backend, line.uom)
        unit = self.known[key]
        if unit and unit._has_common_reference(move.product_uom):
            return unit
        self.errors.append(
            self.env._(
                "%(where)s, unit: %(code)r does not convert to %(unit)s; map the 3PL's "
                "code on the 3PL backend (Units of measure)",
                where=where,
                code=line.uom,
                unit=move.product_uom.name,
            )
        )
        return None

    def _lots(self, line, where, product):
        """``[(lot name, quantity or None)]`` of the line; None when they are wrong."""
        lots = [(lot.lot_number, lot.quantity) for lot in line.lots if lot.lot_number]
        if product.tracking == "none":
            return [("", None)]
        if not lots:
            self.errors.append(
                self.env._(
                    "%(where)s, lots: %(product)s is tracked by %(kind)s and the line names none",
                    where=where,
                    product=product.display_name,
                    kind=self.env._("serial number")
                    if product.tracking == "serial"
                    else self.env._("lot"),
                )
            )
            return None
        if product.tracking == "serial":
            lots = self._serials(line, where, product, lots)
            if lots is None:
                return None
        elif len(lots) > 1 and any(quantity is None for _name, quantity in lots):
            self.errors.append(
                self.env._("%(where)s, lots: several lots without their quantities", where=where)
            )
            return None
        found = self.env["stock.lot"].search(
            [
                ("product_id", "=", product.id),
                ("name", "in", [name for name, _q in lots]),
                ("company_id", "in", (False, self.picking.company_id.id)),
            ]
        )
        for lot in found:
            self.lots.setdefault((product.id, lot.name), lot)
        creates = self.picking.picking_type_id.use_create_lots
        for name, _quantity in lots:
            if (product.id, name) in self.lots:
                continue
            if not creates:
                self.errors.append(
                    self.env._(
                        "%(where)s, lot: %(lot)s of %(product)s does not exist and %(type)s "
                        "does not create lots (its operation type's setting)",
                        where=where,
                        lot=name,
                        product=product.display_name,
                        type=self.picking.picking_type_id.display_name,
                    )
                )
                return None
            self.lots[(product.id, name)] = self.env["stock.lot"]
        return lots

    def _serials(self, line, where, product, lots):
        """``[(serial, 1.0)]`` of a line of a product tracked by serial number: one unit
        each, each once, as many as the line ships; None (and the error) otherwise."""
        names = [name for name, _quantity in lots]
        if (
            any(quantity not in (None, 1) for _name, quantity in lots)
            or len(set(names)) != len(names)
            or len(names) != line.quantity
        ):
            self.errors.append(
                self.env._(
                    "%(where)s, serial numbers: %(product)s is tracked by serial number, one "
                    "unit each, and the line ships %(quantity)s with %(serials)s",
                    where=where,
                    product=product.display_name,
                    quantity=line.quantity,
                    serials=", ".join(
                        name if quantity in (None, 1) else f"{name} ({quantity})"
                        for name, quantity in lots
                    ),
                )
            )
            return None
        return [(name, 1.0) for name in names]

    def _assign(self, line, where, product, unit, lots, candidates, left):
        """Spread the line over the moves of its product, lot by lot; more than is left
        to ship is an over-shipment."""
        total = unit._compute_quantity(line.quantity, candidates[0].product_uom, round=False)
        room = sum(left[move] for move in candidates)
        if total < 0 or candidates[0].product_uom.compare(total, room) > 0:
            self.errors.append(
                self.env._(
                    "%(where)s, quantity: %(qty)s %(unit)s of %(product)s is more than the "
                    "%(room)s %(move_unit)s left on %(picking)s",
                    where=where,
                    qty=line.quantity,
                    unit=unit.name,
                    product=product.display_name,
                    room=room,
                    move_unit=candidates[0].product_uom.name,
                    picking=self.picking.name,
                )
            )
            return
        for lot_name, lot_quantity in lots:
            quantity = (
                total
                if lot_quantity is None
                else unit._compute_quantity(lot_quantity, candidates[0].product_uom, round=False)
            )
            for move in candidates:
                take = min(quantity, left[move]) if move != candidates[-1] else quantity
                if take <= 0:
                    continue
                left[move] -= take
                quantity -= take
                self.parts[move].append((take, lot_name, line.package_reference))
        self.line_vals.append(
            {
                "sequence": len(self.line_vals),
                "line_number": line.line_number,
                "product_id": product.id,
                "quantity": total,
                "quantity_ordered": sum(candidates.mapped("product_uom_qty"))
                if line.quantity_ordered is None
                else unit._compute_quantity(
                    line.quantity_ordered, candidates[0].product_uom, round=False
                ),
                "quantity_damaged": line.quantity_damaged or 0.0,
                "uom_id": candidates[0].product_uom.id,
                "lots": ", ".join(name for name, _q in lots if name),
                "package": line.package_reference,
                "condition": line.condition,
            }
        )

    # ------------------------------------------------------------------ writing

    def apply(self):
        """Validate the transfer with what the 3PL confirmed; return the backorder of
        the rest, when the warehouse keeps one."""
        return apply_plans([self])[self]

    def _move_lines(self, changes):
        """Add to ``changes`` (a :class:`MoveLineChanges`) the move lines of what the 3PL
        confirmed, with their lots and packages made: a move's reserved line kept when the
        3PL shipped it as one part of the same lot (its quantity and package written), its
        lines replaced otherwise."""
        picking = self.picking
        lots = self._create_lots()
        packages = self._packages()
        for move in picking._logistics_wms_moves():
            parts = self.parts.get(move, ())
            product = move.product_id
            values = [
                {
                    "quantity": quantity,
                    "lot_id": lots[(product.id, lot_name)].id if lot_name else False,
                    "result_package_id": packages.get(package_ref, packages.get("")).id
                    if packages
                    else False,
                    "picked": True,
                }
                for quantity, lot_name, package_ref in parts
            ]
            lines = move.move_line_ids
            if len(values) == 1 and len(lines) == 1 and lines.lot_id.id == values[0]["lot_id"]:
                # What is already so is not written again: a quantity written, even the
                # same, has Odoo take its reservation back and make it anew.
                same = {"lot_id": lines.lot_id.id, "quantity": lines.quantity}
                changes.keep(lines, {k: v for k, v in values[0].items() if same.get(k) != v})
                continue
            changes.unlink |= lines
            changes.create += [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": product.id,
                    "product_uom_id": move.product_uom.id,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    **vals,
                }
                for vals in values
            ]

    def _create_lots(self):
        """The lots of the confirmation by (product id, name): those found while reading,
        and the ones to create, created."""
        Lot = self.env["stock.lot"].sudo()
        company = self.picking.company_id
        return {
            (product_id, name): lot
            or Lot.create({"product_id": product_id, "name": name, "company_id": company.id})
            for (product_id, name), lot in self.lots.items()
        }

    def _packages(self):
        """The 3PL's packages (SSCC, LPN) as Odoo packages, by reference; a confirmation
        with one package and lines that name none puts them all in it."""
        Package = self.env["stock.package"].sudo()
        packages = {}
        for package in self.document.packages:
            if package.reference and package.reference not in packages:
                packages[package.reference] = Package.search(
                    [("name", "=", package.reference)], limit=1
                ) or Package.create({"name": package.reference})
        if len(packages) == 1:
            packages[""] = next(iter(packages.values()))
        return packages

    def _set_carrier(self):
        picking = self.picking
        values = {}
        carrier = self.env["delivery.carrier"]._logistics_wms_carrier(
            self.document.carrier, picking.company_id, picking.carrier_id
        )
        if carrier:
            values["carrier_id"] = carrier.id
        if self.tracking_numbers:
            values["carrier_tracking_ref"] = ",".join(self.tracking_numbers)
        if values:
            picking.write(values)


def apply_plans(plans):
    """Validate the transfers of ``plans`` (one each, all read without error) with what
    their confirmations say, in one validation: Odoo's moves done together, each transfer
    keeping a backorder of its rest or cancelling it by its warehouse's policy. Return
    ``{plan: the backorder of the rest, or an empty recordset}``."""
    env = plans[0].env
    Picking = env["stock.picking"].sudo().with_context(**{CONFIRMING: True})
    pickings = Picking.browse([plan.picking.id for plan in plans])
    changes = MoveLineChanges(env["stock.move.line"].sudo().with_context(**{CONFIRMING: True}))
    for plan in plans:
        plan._move_lines(changes)
    changes.apply()
    for plan in plans:
        plan.picking.move_ids.filtered(
            lambda move, plan=plan: move not in plan.parts
        ).picked = False
        plan._set_carrier()
    cancel_rest = pickings.filtered(
        lambda p: p.picking_type_id.warehouse_id.logistics_wms_shortage == "cancel"
    )
    for company, same_company in pickings.grouped("company_id").items():
        same_company.with_company(company).with_context(
            skip_backorder=True,
            picking_ids_not_to_backorder=cancel_rest.ids,
            skip_sms=True,
        ).button_validate()
    pickings.filtered(lambda p: p.picking_type_code == "outgoing").logistics_wms_state = "shipped"
    pickings.filtered(lambda p: p.picking_type_code != "outgoing").logistics_wms_state = "received"
    backorders = Picking.search([("backorder_id", "in", pickings.ids)])
    rest = {}
    for plan in plans:
        picking = plan.picking
        backorder = backorders.filtered(lambda b, picking=picking: b.backorder_id == picking)[:1]
        if backorder:
            backorder.write(
                {
                    "logistics_wms_backend_id": picking.logistics_wms_backend_id.id,
                    "logistics_wms_reference": picking.logistics_wms_reference,
                    "logistics_wms_state": "released",
                    "logistics_wms_released_at": picking.logistics_wms_released_at,
                }
            )
        rest[plan] = backorder
    return rest


class MoveLineChanges:
    """The move lines a batch of confirmations writes, done in as few calls as they can:
    one unlink, one write per distinct set of values, one create."""

    def __init__(self, MoveLine):
        self.MoveLine = MoveLine
        self.unlink = MoveLine.browse()
        self.writes = defaultdict(list)
        self.create = []

    def keep(self, lines, values):
        """Keep ``lines``, with ``values`` written on them."""
        self.writes[tuple(sorted(values.items()))] += lines.ids

    def apply(self):
        self.unlink.unlink()
        for values, ids in self.writes.items():
            self.MoveLine.browse(ids).write(dict(values))
        self.MoveLine.create(self.create)
