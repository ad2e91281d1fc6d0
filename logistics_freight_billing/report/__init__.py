from . import logistics_freight_accrual_report
from . import logistics_freight_margin_report
