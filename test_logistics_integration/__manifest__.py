{
    "name": "Logistics Integration Tests",
    "summary": "Fake partner handler and framework tests of the logistics message engine",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "license": "LGPL-3",
    "author": "Logistics Integration Suite contributors",
    "website": "https://github.com/logistics-integration-suite/logistics-integration",
    "depends": ["logistics_integration"],
    "external_dependencies": {"python": ["logistics_adapters", "hypothesis"]},
    "data": ["security/ir.model.access.csv"],
    "installable": True,
}
