{
    "name": "Logistics Carrier Tracking",
    "summary": "Live shipment tracking on pickings from carrier webhooks, with canonical "
    "statuses, a timeline and a tracking board",
    "version": "19.0.1.0.0",
    "category": "Inventory/Delivery",
    "license": "LGPL-3",
    "author": "Logistics Integration Suite contributors",
    "website": "https://github.com/logistics-integration-suite/logistics-integration",
    "development_status": "Alpha",
    "maintainers": [],
    "depends": ["logistics_integration", "stock_delivery", "sale_stock"],
    "external_dependencies": {"python": ["logistics_adapters"]},
    "data": [
        "data/logistics_message_type_data.xml",
        "data/logistics_status_map_data.xml",
        "views/stock_picking_views.xml",
        "views/sale_order_views.xml",
        "views/logistics_carrier_menus.xml",
    ],
    "installable": True,
}
