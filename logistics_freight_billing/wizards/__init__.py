from . import logistics_freight_dispute
from . import logistics_freight_accrual
