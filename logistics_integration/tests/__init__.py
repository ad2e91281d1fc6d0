# Test helpers shared by the suite's addons (see common.py); the framework's own tests are
# in test_logistics_integration.
