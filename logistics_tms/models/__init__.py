from . import res_partner
from . import logistics_routing_lane
from . import logistics_transport_order
from . import logistics_transport_tender
from . import logistics_transport_milestone
from . import logistics_handler_tms
from . import sale_order
from . import stock_picking
