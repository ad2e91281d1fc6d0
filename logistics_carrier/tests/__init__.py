from . import test_tracking
from . import test_tracking_http
from . import test_notifications
