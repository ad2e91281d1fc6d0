{
    "name": "Logistics Customs",
    "summary": "Customs declarations built from transfers (parties with EORI, incoterm, "
    "procedure, items with HS code, origin, weights and values), what is missing listed "
    "item by item before anything is sent, clearance status on transfers and sale orders",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Inventory",
    "license": "LGPL-3",
    "author": "Logistics Integration Suite contributors",
    "website": "https://github.com/logistics-integration-suite/logistics-integration",
    "development_status": "Alpha",
    "maintainers": [],
    "depends": ["logistics_carrier", "account"],
    "data": [
        "security/logistics_customs_security.xml",
        "security/ir.model.access.csv",
        "security/logistics_customs_rules.xml",
        "data/ir_sequence_data.xml",
        "views/logistics_customs_declaration_views.xml",
        "views/stock_picking_views.xml",
        "views/sale_order_views.xml",
        "views/res_partner_views.xml",
        "views/logistics_customs_menus.xml",
    ],
    "demo": ["demo/logistics_customs_demo.xml"],
    "installable": True,
}
