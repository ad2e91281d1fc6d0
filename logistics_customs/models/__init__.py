from . import logistics_customs_declaration
from . import logistics_customs_declaration_line
from . import res_partner
from . import stock_picking
from . import sale_order
from . import logistics_demo
