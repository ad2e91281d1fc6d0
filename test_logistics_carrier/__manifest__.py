{
    "name": "Logistics Carrier Tests",
    "summary": "Carrier tracking tests on the published documents of partners without an "
    "addon of their own (tracking APIs that are polled)",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "license": "LGPL-3",
    "author": "Logistics Integration Suite contributors",
    "website": "https://github.com/logistics-integration-suite/logistics-integration",
    "depends": ["logistics_carrier_easypost"],
    "external_dependencies": {"python": ["logistics_adapters", "responses"]},
    "installable": True,
}
