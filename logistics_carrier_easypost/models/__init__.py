from . import delivery_carrier
from . import logistics_carrier_parcel
from . import logistics_handler_easypost_shipping
from . import stock_picking
