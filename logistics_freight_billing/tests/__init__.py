from . import test_audit
from . import test_accrual_and_margin
from . import test_end_to_end
from . import test_tours
from . import test_other_formats
from . import test_proof_of_delivery
