from . import test_tracking
from . import test_invoice_on_delivery
from . import test_company_rules
