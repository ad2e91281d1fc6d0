from . import test_tracking
from . import test_company_rules
