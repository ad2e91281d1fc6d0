from . import test_tracking
from . import test_tracking_http
from . import test_notifications
from . import test_shipping
from . import test_shipping_http
from . import test_tours
from . import test_shipping_transactions
