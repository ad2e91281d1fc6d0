import json
import uuid
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from odoo.addons.logistics_integration.engine import STATE_DONE, WORKING_STATES

from logistics_adapters import canonical as c
from logistics_adapters.errors import BusinessError
from logistics_adapters.partners.easypost.shipment_body import render_shipment
from logistics_adapters.rating import choose_rate, combine_rates, parse_names

from .logistics_handler_easypost_shipping import (
    CONTEXT_POLICY,
    CONTEXT_SYNC,
    FLOW_LABEL,
    FLOW_RATE,
    FLOW_REFUND,
    of_kind,
    parse_shipment,
)

DELIVERY_TYPE = "logistics_easypost"
LABEL_FORMATS = [
    ("PDF", "PDF"),
    ("ZPL", "ZPL (thermal printers)"),
    ("EPL2", "EPL2"),
    ("PNG", "PNG"),
]
LABEL_EXTENSIONS = {"PDF": "pdf", "ZPL": "zpl", "EPL2": "epl2", "PNG": "png"}
FLOW_XMLIDS = {
    FLOW_RATE: "logistics_carrier_easypost.logistics_message_type_easypost_rate",
    FLOW_LABEL: "logistics_carrier_easypost.logistics_message_type_easypost_label",
    FLOW_REFUND: "logistics_carrier_easypost.logistics_message_type_easypost_refund",
}


class DeliveryCarrier(models.Model):
    """Shipping through an EasyPost-compatible carrier aggregator, on Odoo's provider API.

    Every call to the carrier is an outbound logistics message stored and attempted in a
    transaction of its own: the request, the answer and a bought label stay on record even
    when the picking validation that asked for them rolls back, and asking again for the same
    package of the same delivery reuses the label instead of buying a second one.
    """

    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[(DELIVERY_TYPE, "EasyPost (logistics suite)")],
        ondelete={DELIVERY_TYPE: lambda records: records.write({"delivery_type": "fixed"})},
    )
    logistics_allowed_carriers = fields.Char(
        string="Allowed carriers",
        help="Carriers as EasyPost names them, separated by commas (USPS, UPS, FedEx). "
        "Empty: every carrier of the account.",
    )
    logistics_allowed_services = fields.Char(
        string="Allowed services",
        help="Services as EasyPost names them, separated by commas (Priority, Ground, "
        "FEDEX_2_DAY). Empty: every service of the allowed carriers.",
    )
    logistics_rate_choice = fields.Selection(
        [("cheapest", "Cheapest"), ("fastest", "Fastest")],
        string="Choose the",
        default="cheapest",
        help="Among the allowed services: the lowest price, or the fewest transit days.",
    )
    logistics_label_format = fields.Selection(LABEL_FORMATS, string="Label format", default="PDF")
    logistics_label_size = fields.Selection(
        [("4x6", "4x6 in"), ("4x8", "4x8 in"), ("8.5x11", "Letter (8.5x11 in)")],
        string="Label size",
        default="4x6",
    )
    logistics_default_package_type_id = fields.Many2one(
        "stock.package.type",
        string="Default package type",
        help="Dimensions of the parcel when the goods are not packed in a package.",
    )

    # -- Odoo's provider API -----------------------------------------------------------

    @api.depends("delivery_type")
    def _compute_can_generate_return(self):
        result = super()._compute_can_generate_return()
        for carrier in self.filtered(lambda carrier: carrier.delivery_type == DELIVERY_TYPE):
            carrier.can_generate_return = True
        return result

    def logistics_easypost_rate_shipment(self, order):
        """Rate ``order``: one quote per package, the policy's choice among allowed services."""
        self.ensure_one()
        try:
            backend = self._logistics_shipping_backend()
            packages = self._get_packages_from_order(order, self._logistics_package_type())
            quotes = []
            correlation = uuid.uuid4().hex
            for index, package in enumerate(packages):
                shipment = self._logistics_shipment_from_order(order, package, index)
                outcome = self._logistics_call_now(
                    backend,
                    FLOW_RATE,
                    self._logistics_payload(shipment),
                    f"rate:{order.id}:{index}:{correlation}",
                    order,
                    correlation,
                    quote=True,
                )
                quotes.append(self._logistics_answer_objects(outcome, c.Rate))
            rate = choose_rate(combine_rates(quotes), *self._logistics_rate_policy())
        except (UserError, ValueError, BusinessError) as error:
            return _rate_error(str(error))
        price = self._logistics_to_company_currency(rate.amount, rate.currency, order.company_id)
        return {
            "success": True,
            "price": price,
            "error_message": False,
            "warning_message": self.env._(
                "%(carrier)s %(service)s, %(days)s day(s)",
                carrier=rate.carrier,
                service=rate.service,
                days=rate.delivery_days if rate.delivery_days is not None else "?",
            ),
        }

    def logistics_easypost_send_shipping(self, pickings):
        """Buy one label per package (and a return label if configured); see the class doc."""
        results = []
        for picking in pickings:
            parcels = self._logistics_buy_labels(picking)
            if self.return_label_on_delivery:
                self.get_return_label(picking)
            results.append(
                {
                    "exact_price": sum(
                        parcel.currency_id._convert(
                            parcel.price, picking.company_id.currency_id, picking.company_id
                        )
                        for parcel in parcels
                    ),
                    "tracking_number": ",".join(parcels.mapped("tracking_number")),
                }
            )
        return results

    def logistics_easypost_get_return_label(self, pickings, tracking_number=None, origin_date=None):
        for picking in pickings:
            self._logistics_buy_labels(picking, is_return=True)

    def logistics_easypost_get_tracking_link(self, picking):
        parcels = picking.logistics_parcel_ids.filtered(
            lambda parcel: not parcel.is_return and parcel.state == "bought"
        )
        links = [(parcel.tracking_number, parcel.tracking_url) for parcel in parcels]
        if len(links) > 1:
            return json.dumps(links)
        if links and links[0][1]:
            return links[0][1]
        if self.tracking_url and picking.carrier_tracking_ref:
            return self.tracking_url.replace(
                "<shipmenttrackingnumber>", picking.carrier_tracking_ref
            )
        return False

    def logistics_easypost_cancel_shipment(self, pickings):
        """Ask a refund of every label of the pickings; refused refunds stop the cancel."""
        for picking in pickings:
            for parcel in picking.logistics_parcel_ids.filtered(
                lambda parcel: parcel.state == "bought"
            ):
                outcome = self._logistics_call_now(
                    self._logistics_shipping_backend(),
                    FLOW_REFUND,
                    json.dumps({"shipment": parcel.shipment_ref}).encode(),
                    f"refund:{parcel.id}",
                    parcel,
                )
                self._logistics_check_done(outcome, self.env._("refund"), picking)
                parcel._logistics_apply_refund(outcome)

    # -- labels --------------------------------------------------------------------------

    def _logistics_buy_labels(self, picking, is_return=False):
        """Return the parcels of ``picking``: one bought label per package, bought once."""
        self.ensure_one()
        backend = self._logistics_shipping_backend()
        Parcel = self.env["logistics.carrier.parcel"]
        parcels = Parcel
        packages = self._get_packages_from_picking(picking, self._logistics_package_type())
        if is_return:
            packages = packages[:1]
        for index, package in enumerate(packages):
            name = package.name or self.env._("Parcel %(number)s", number=index + 1)
            key = self._logistics_label_key(picking, name, is_return)
            known = self._logistics_find_message(backend, key)
            outcome = known.outcome() if known else None
            if not (outcome and outcome.attachment):
                shipment = self._logistics_shipment_from_picking(picking, package, name, is_return)
                outcome = self._logistics_call_now(
                    backend,
                    FLOW_LABEL,
                    self._logistics_payload(shipment),
                    key,
                    picking,
                    policy=self._logistics_rate_policy(),
                )
                self._logistics_check_done(
                    outcome,
                    self.env._("return label") if is_return else self.env._("label"),
                    picking,
                )
            parcels |= Parcel.search(
                [("message_ref", "=", outcome.message_id)]
            ) or self._logistics_parcel(picking, outcome, name, is_return)
        return parcels

    def _logistics_label_key(self, picking, package_name, is_return):
        """The idempotency key of a label: picking, package and how many were refunded."""
        kind = "return" if is_return else "label"
        refunded = self.env["logistics.carrier.parcel"].search_count(
            [
                ("picking_id", "=", picking.id),
                ("package_name", "=", package_name),
                ("is_return", "=", is_return),
                ("state", "!=", "bought"),
            ]
        )
        return f"{kind}:{picking.id}:{package_name}:{refunded + 1}"

    def _logistics_parcel(self, picking, outcome, package_name, is_return):
        """Record the label of ``outcome`` (an Outcome) on the picking, named as Odoo does."""
        objects = parse_shipment(outcome.answer)
        [shipment], [label] = of_kind(objects, c.Shipment), of_kind(objects, c.Label)
        selected = shipment.references.get("selected_rate_id")
        rate = next((r for r in of_kind(objects, c.Rate) if r.partner_rate_id == selected), None)
        extension = LABEL_EXTENSIONS.get(label.file_format or "", "pdf")
        if is_return:  # Odoo numbers return labels: LabelReturn-<type>-<tracking>-1.pdf
            file_name = f"{self.get_return_label_prefix()}-{label.tracking_number}-1.{extension}"
        else:
            file_name = f"{self._get_delivery_label_prefix()}-{label.tracking_number}.{extension}"
        attachment = self.env["ir.attachment"].create(
            {
                "name": file_name,
                "raw": outcome.attachment,
                "mimetype": outcome.attachment_mimetype or "application/octet-stream",
                "res_model": "stock.picking",
                "res_id": picking.id,
            }
        )
        currency = self._logistics_currency((rate.currency if rate else "") or "USD")
        parcel = self.env["logistics.carrier.parcel"].create(
            {
                "picking_id": picking.id,
                "carrier_id": self.id,
                "message_ref": outcome.message_id,
                "package_name": package_name,
                "is_return": is_return,
                "tracking_number": label.tracking_number,
                "tracking_url": shipment.tracking_url,
                "shipment_ref": shipment.partner_reference,
                "tracker_ref": shipment.references.get("tracker_id"),
                "carrier_name": shipment.carrier,
                "service": shipment.service,
                "price": float(rate.amount) if rate else 0.0,
                "currency_id": (currency or picking.company_id.currency_id).id,
                "label_id": attachment.id,
            }
        )
        what = self.env._("Return label") if is_return else self.env._("Label")
        picking.message_post(
            body=self.env._(
                "%(what)s bought from %(carrier)s %(service)s: %(number)s (%(message)s).",
                what=what,
                carrier=shipment.carrier,
                service=shipment.service,
                number=label.tracking_number,
                message=outcome.name,
            ),
            attachment_ids=attachment.ids,
        )
        return parcel

    # -- calls ---------------------------------------------------------------------------

    def _logistics_call_now(
        self, backend, flow, payload, key, record, correlation=None, policy=None, quote=False
    ):
        """Send the request ``key`` to EasyPost at once, in a transaction of its own.

        Return its Outcome (see ``logistics.message.send_now``): a request already done
        is not sent again; a failed ``quote`` (a rate request) is cancelled: the user
        was told, nothing is to be retried.
        """
        context = {CONTEXT_SYNC: True}
        if policy:
            context[CONTEXT_POLICY] = policy
        return self.env["logistics.message"].send_now(
            backend,
            self.env.ref(FLOW_XMLIDS[flow]),
            payload,
            key,
            record=record,
            correlation_id=correlation,
            context=context,
            cancel_failed=quote,
        )

    def _logistics_find_message(self, backend, key):
        """The newest outbound message of ``key`` (or of its replacements)."""
        return self.env["logistics.message"].find_latest(backend, key)

    def _logistics_check_done(self, outcome, what, picking):
        if outcome.state == STATE_DONE:
            return
        if outcome.state in WORKING_STATES:
            raise UserError(
                self.env._(
                    "The %(what)s of %(picking)s is queued as %(message)s: the carrier is "
                    "unavailable or busy (%(error)s). It is bought as soon as the carrier "
                    "answers; validate again then, nothing is bought twice.",
                    what=what,
                    picking=picking.name,
                    message=outcome.name,
                    error=outcome.error_text or self.env._("waiting for its turn"),
                )
            )
        raise UserError(
            self.env._(
                "The carrier refused the %(what)s of %(picking)s: %(error)s\n\nThe request is "
                "kept as %(message)s in Logistics Integration > Workbench. Correct the "
                "delivery (address, weight, packages) and validate again, or retry the message "
                "there.",
                what=what,
                picking=picking.name,
                error=outcome.error_text,
                message=outcome.name,
            )
        )

    def _logistics_answer_objects(self, outcome, kind):
        if outcome.state != STATE_DONE or not outcome.answer:
            raise UserError(
                self.env._(
                    "The carrier could not quote (%(message)s): %(error)s",
                    message=outcome.name,
                    error=outcome.error_text,
                )
            )
        return of_kind(parse_shipment(outcome.answer), kind)

    # -- building requests -----------------------------------------------------------

    def _logistics_shipping_backend(self):
        self.ensure_one()
        backend = self.sudo().logistics_backend_id
        if not backend or backend.provider != "easypost":
            raise UserError(
                self.env._(
                    "Delivery method %(method)s has no EasyPost backend: choose one on its "
                    "Tracking tab (a backend with provider EasyPost, its API key as secret).",
                    method=self.name,
                )
            )
        return backend

    def _logistics_package_type(self):
        return self.logistics_default_package_type_id or self.env["stock.package.type"]

    def _logistics_rate_policy(self):
        self.ensure_one()
        return (
            self.logistics_rate_choice or "cheapest",
            parse_names(self.logistics_allowed_carriers),
            parse_names(self.logistics_allowed_services),
        )

    def _logistics_payload(self, objects):
        return json.dumps(render_shipment(objects), ensure_ascii=False, sort_keys=True).encode()

    def _logistics_options(self, currency):
        return {
            "options.label_format": self.logistics_label_format or "PDF",
            "options.label_size": self.logistics_label_size or "4x6",
            "options.currency": currency.name,
        }

    def _logistics_shipment_from_order(self, order, package, index):
        warehouse = order.warehouse_id.partner_id or order.company_id.partner_id
        shipment = c.Shipment(
            reference=f"{order.name}/{index + 1}",
            ship_from=warehouse._logistics_address(),
            ship_to=order.partner_shipping_id._logistics_address(),
            parcels=[self._logistics_parcel_of(package)],
            references=self._logistics_options(order.currency_id),
        )
        return [shipment, *self._logistics_customs(shipment, package, order.company_id)]

    def _logistics_shipment_from_picking(self, picking, package, package_name, is_return):
        warehouse = picking.picking_type_id.warehouse_id.partner_id or picking.company_id.partner_id
        customer = picking.partner_id._logistics_address()
        shipment = c.Shipment(
            reference=f"{picking.name}/{package_name}",
            ship_from=customer if is_return else warehouse._logistics_address(),
            ship_to=warehouse._logistics_address() if is_return else customer,
            parcels=[self._logistics_parcel_of(package)],
            is_return=is_return,
            references=self._logistics_options(
                picking.sale_id.currency_id or picking.company_id.currency_id
            ),
        )
        return [shipment, *self._logistics_customs(shipment, package, picking.company_id)]

    def _logistics_parcel_of(self, package):
        template = self.env["product.template"]
        weight_uom = template._get_weight_uom_id_from_ir_config_parameter()
        length_uom = template._get_length_uom_id_from_ir_config_parameter()
        kg = self.env.ref("uom.product_uom_kgm")
        cm = self.env.ref("uom.product_uom_cm")
        dimensions = {
            name: length_uom._compute_quantity(value, cm) if value else None
            for name, value in package.dimension.items()
        }
        return c.Parcel(
            reference=package.name or "",
            package_type=package.packaging_type or "",
            weight_kg=weight_uom._compute_quantity(package.weight, kg),
            length_cm=dimensions["length"],
            width_cm=dimensions["width"],
            height_cm=dimensions["height"],
        )

    def _logistics_customs(self, shipment, package, company):
        """A customs declaration from HS codes, origins and values, when crossing borders."""
        if shipment.ship_from.country == shipment.ship_to.country:
            return []
        kg = self.env.ref("uom.product_uom_kgm")
        weight_uom = self.env["product.template"]._get_weight_uom_id_from_ir_config_parameter()
        items = []
        for commodity in package.commodities:
            product = commodity.product_id
            items.append(
                c.CustomsItem(
                    description=(product.name or product.display_name)[:35],
                    product_code=product.default_code or "",
                    hs_code=product.hs_code or "",
                    origin_country=commodity.country_of_origin or "",
                    quantity=commodity.qty,
                    net_weight_kg=weight_uom._compute_quantity(product.weight * commodity.qty, kg)
                    or None,
                    value=Decimal(str(float_round(commodity.monetary_value * commodity.qty, 2))),
                )
            )
        signer = self.env.user.partner_id
        shipment.references.update(
            {"customs_info.eel_pfc": "NOEEI 30.37(a)", "customs_info.non_delivery_option": "return"}
        )
        return [
            c.CustomsDeclaration(
                reference=shipment.reference,
                declaration_type="merchandise",
                declarant=c.Address(name=signer.name or ""),
                currency=company.currency_id.name,
                items=items,
            )
        ]

    def _logistics_currency(self, name):
        """The currency of ISO code ``name``, active or not (empty if unknown here)."""
        return (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", name)], limit=1)
        )

    def _logistics_to_company_currency(self, amount, currency_name, company):
        currency = self._logistics_currency(currency_name or company.currency_id.name)
        if not currency:
            raise UserError(
                self.env._(
                    "The carrier quoted in %(currency)s, unknown here.", currency=currency_name
                )
            )
        return currency._convert(float(amount), company.currency_id, company, fields.Date.today())


def _rate_error(text):
    return {"success": False, "price": 0.0, "error_message": text, "warning_message": False}
