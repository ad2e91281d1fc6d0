from . import test_audit
from . import test_accrual_and_margin
