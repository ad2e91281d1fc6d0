from . import models

from odoo.addons.logistics_integration.hooks import remove_messages_of


def uninstall_hook(env):
    """The confirmations go with the messages of this addon's flows."""
    env.cr.execute("DELETE FROM logistics_wms_confirmation")
    remove_messages_of(env, "logistics_wms")
