{
    "name": "Logistics Bench Floor",
    "summary": "Benchmarks only: a route that does nothing, the Odoo HTTP floor of bench/run",
    "version": "19.0.1.0.0",
    "category": "Hidden",
    "license": "LGPL-3",
    "author": "Logistics Integration Suite contributors",
    "website": "https://github.com/logistics-integration-suite/logistics-integration",
    "depends": ["logistics_integration"],
    "installable": True,
}
