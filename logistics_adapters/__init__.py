"""Partner formats and protocol logic for the logistics integration suite, without Odoo.

The canonical model lives in :mod:`logistics_adapters.canonical`, the error classes in
:mod:`logistics_adapters.errors` and the codec registry in :mod:`logistics_adapters.registry`.
"""

__version__ = "19.0.1.0.0"
