from . import logistics_handler_fake
from . import test_logistics_effect
