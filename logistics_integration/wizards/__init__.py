from . import logistics_message_replay
from . import logistics_message_edit
from . import logistics_message_assign
