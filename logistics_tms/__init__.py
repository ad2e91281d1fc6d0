from . import models

from odoo.addons.logistics_integration.hooks import remove_messages_of


def uninstall_hook(env):
    """The loads go first (their tenders hold on to the carriers this addon's data made),
    then the messages of this addon's flows."""
    env.cr.execute("DELETE FROM logistics_transport_order")
    remove_messages_of(env, "logistics_tms")
