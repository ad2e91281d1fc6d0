"""Install hooks of the engine, for the business addons too."""


def remove_messages_of(env, module):
    """Remove the messages of the flows ``module`` declares, before its uninstallation
    removes those flows (a flow keeps its messages otherwise: its deletion is refused)."""
    env.cr.execute(
        """
        DELETE FROM logistics_message message
         USING ir_model_data data
         WHERE data.model = 'logistics.message.type' AND data.module = %s
           AND data.res_id = message.type_id
        """,
        [module],
    )


def uninstall_hook(env):
    """The engine goes: every message goes with its table, before the flows do, and the
    EDI control number sequences of the backends with them."""
    env.cr.execute("DELETE FROM logistics_message")
    env.cr.execute("DROP TABLE IF EXISTS logistics_inbound_rate")
    env["ir.sequence"].sudo().search([("code", "=like", "logistics.edi.%")]).unlink()
