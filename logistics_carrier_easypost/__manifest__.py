{
    "name": "Logistics Carrier: EasyPost",
    "summary": "Rates, labels, refunds and return labels through EasyPost API v2 (or any "
    "EasyPost-compatible aggregator), every call kept as a logistics message",
    "version": "19.0.1.0.0",
    "category": "Shipping Connectors",
    "license": "LGPL-3",
    "author": "Logistics Integration Suite contributors",
    "website": "https://github.com/logistics-integration-suite/logistics-integration",
    "depends": ["logistics_carrier"],
    "data": [
        "data/logistics_message_type_data.xml",
        "views/delivery_carrier_views.xml",
    ],
    "demo": ["demo/logistics_carrier_easypost_demo.xml"],
    "assets": {
        "web.assets_tests": ["logistics_carrier_easypost/static/tests/tours/*.js"],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
