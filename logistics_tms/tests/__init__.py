from . import test_tendering
from . import test_milestones
