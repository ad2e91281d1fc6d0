from . import logistics_handler
from . import logistics_backend
from . import logistics_message_type
from . import logistics_message
from . import logistics_processor
from . import logistics_status_map
from . import logistics_shipment_event
from . import res_config_settings
