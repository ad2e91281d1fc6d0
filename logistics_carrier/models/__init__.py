from . import account_move
from . import delivery_carrier
from . import logistics_backend
from . import logistics_status_map
from . import logistics_handler_carrier_tracking
from . import stock_picking
from . import sale_order
from . import res_partner
