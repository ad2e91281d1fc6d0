{
    "name": "Logistics Warehouses and 3PLs",
    "summary": "Delivery orders released to a 3PL or warehouse system (X12 940/943 or JSON), "
    "its shipping and receipt confirmations (945/856/944) validating pickings with lots, "
    "packages and tracking numbers, inventory snapshots (846) reconciled with Odoo's stock",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Inventory",
    "license": "LGPL-3",
    "author": "Logistics Integration Suite contributors",
    "website": "https://github.com/logistics-integration-suite/logistics-integration",
    "depends": ["logistics_carrier"],
    "data": [
        "security/logistics_wms_security.xml",
        "security/ir.model.access.csv",
        "security/logistics_wms_rules.xml",
        "data/logistics_wms_data.xml",
        "data/ir_cron_data.xml",
        "views/logistics_wms_confirmation_views.xml",
        "views/logistics_wms_snapshot_views.xml",
        "views/stock_picking_views.xml",
        "views/stock_warehouse_views.xml",
        "views/product_category_views.xml",
        "views/sale_order_views.xml",
        "views/delivery_carrier_views.xml",
        "views/logistics_backend_views.xml",
        "views/logistics_wms_menus.xml",
    ],
    "demo": ["demo/logistics_wms_demo.xml"],
    "assets": {
        "web.assets_tests": ["logistics_wms/static/tests/tours/*.js"],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
