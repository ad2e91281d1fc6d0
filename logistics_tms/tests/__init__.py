from . import test_tendering
from . import test_milestones
from . import test_end_to_end
from . import test_tours
from . import test_demo
from . import test_ocean_and_edifact
from . import test_json_tms
