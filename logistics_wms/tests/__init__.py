from . import test_release
from . import test_confirmation
from . import test_snapshot
from . import test_tours
from . import test_webhooks
from . import test_end_to_end
from . import test_json_3pl
