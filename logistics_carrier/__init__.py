from . import models

from odoo.addons.logistics_integration.hooks import remove_messages_of


def uninstall_hook(env):
    """Remove the messages of this addon's flows before the flows go."""
    remove_messages_of(env, "logistics_carrier")
