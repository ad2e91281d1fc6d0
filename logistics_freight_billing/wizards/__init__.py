from . import logistics_freight_dispute
