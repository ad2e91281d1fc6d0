from . import test_message_lifecycle
from . import test_idempotency
from . import test_retry_pattern
from . import test_replay
from . import test_circuit_breaker
from . import test_retention
from . import test_security
from . import test_concurrency
