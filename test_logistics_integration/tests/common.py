import json
import uuid
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.modules.registry import Registry
from odoo.orm.registry import DummyRLock
from odoo.tests import BaseCase, HttpCase, TransactionCase, new_test_user
from odoo.tools import config

from odoo.addons.logistics_integration.tests.common import CommittedTransactionMixin

from logistics_adapters.transport.secrets import generate_key
from logistics_adapters.transport.signatures import get_scheme


def _inbound_flow_values(name, code, vals):
    """The values of an inbound flow that the fake handler serves."""
    return {
        "name": name,
        "code": code,
        "direction": "inbound",
        "handler_model": "logistics.handler.fake",
        **vals,
    }


def odoo_url():
    """The address of the HTTP server Odoo runs for the tests."""
    host = config.get("http_interface") or "127.0.0.1"
    host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://{host}:{config['http_port']}"


class InboundFlowMixin:
    """For cases on the test cursor: secrets encrypted under a key of the class, inbound
    flows served by the fake handler."""

    @classmethod
    def _use_secret_key(cls, key=None):
        """Encrypt the class's secrets under ``key`` (a new key by default)."""
        cls.startClassPatcher(
            patch.dict("os.environ", {"LOGISTICS_SECRET_KEY": key or generate_key()})
        )

    @classmethod
    def _set_up_inbound(cls, key=None):
        """The class's environment without mail tracking, its secrets under ``key`` (a new
        key by default)."""
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls._use_secret_key(key)

    @classmethod
    def _make_inbound_flow(cls, name, code, **vals):
        return cls.env["logistics.message.type"].create(_inbound_flow_values(name, code, vals))

    @classmethod
    def _make_inbound_backend(cls, name, code, flow, secret, **vals):
        """A backend taking ``flow`` from partners who sign with ``secret``."""
        return cls.env["logistics.backend"].create(
            {
                "name": name,
                "code": code,
                "webhook_secret": secret,
                "inbound_type_id": flow.id,
                **vals,
            }
        )


class InboundHttpCase(InboundFlowMixin, HttpCase):
    """A backend taking an inbound flow served by the fake handler from a partner who signs
    with the generic HMAC scheme, and the real route, over the HTTP server Odoo runs for tests.

    Subclasses name the backend (``backend_name``, ``code``), its flow (``flow_name``,
    ``flow_code``) and the partner's ``secret``; ``secret_key`` encrypts the secrets (a new
    key by default).
    """

    backend_name = code = flow_name = flow_code = secret = ""
    secret_key = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_up_inbound(cls.secret_key)
        cls.flow = cls._make_inbound_flow(cls.flow_name, cls.flow_code)
        cls.backend = cls._make_inbound_backend(cls.backend_name, cls.code, cls.flow, cls.secret)

    def post(
        self,
        body,
        *,
        code="",
        flow="",
        secret=None,
        headers=None,
        content_type="application/json",
        now=None,
    ):
        """POST ``body`` (bytes, or a dict sent as JSON) to the route of the backend (of the
        backend ``code`` when given), for ``flow`` when given, signed at ``now`` with the
        partner's secret or ``secret`` (unsigned if empty), with ``headers`` added."""
        if isinstance(body, dict):
            body = json.dumps(body).encode()
        secret = self.secret if secret is None else secret
        signed = get_scheme("generic-hmac-sha256").sign(body, secret, now=now) if secret else {}
        url = f"/logistics/inbound/{code or self.code}" + (f"/{flow}" if flow else "")
        headers = {"Content-Type": content_type, **signed, **(headers or {})}
        return self.url_open(url, data=body, headers=headers)

    def messages(self):
        """The messages the backend received."""
        return self.env["logistics.message"].search([("backend_id", "=", self.backend.id)])


class ServedInboundCase(CommittedTransactionMixin, BaseCase):
    """An inbound flow and a backend taking it, committed, for requests that Odoo's own HTTP
    server threads answer (:func:`odoo_url`); removed with the class.

    ``cls.tag`` makes the codes unique; ``cls.secret_key`` encrypts the secrets.
    """

    #: The flow's name (its code and the backend's derive from it), extra values of both.
    flow_name = ""
    flow_values = {}
    backend_values = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The loading thread holds the registry lock while tests run: let Odoo's HTTP
        # server threads find the registry, as the registry test mode does.
        cls.startClassPatcher(patch.object(Registry, "_lock", DummyRLock()))
        cls.secret_key = config.get("logistics_secret_key") or generate_key()
        cls._use_committed_transactions(cls.secret_key)
        cls.tag = uuid.uuid4().hex[:8]
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            flow = env["logistics.message.type"].create(
                _inbound_flow_values(
                    cls.flow_name, f"test.{cls.flow_name}.{cls.tag}", cls.flow_values
                )
            )
            backend = env["logistics.backend"].create(
                {
                    "name": cls.flow_name.title(),
                    "code": f"{cls.flow_name}-{cls.tag}",
                    "inbound_type_id": flow.id,
                    **cls.backend_values,
                }
            )
            cls.flow_id, cls.flow_code = flow.id, flow.code
            cls.backend_id, cls.code = backend.id, backend.code
            cls.user_id = backend.technical_user_id.id
        cls.addClassCleanup(cls._cleanup)

    @classmethod
    def _cleanup(cls):
        cls._remove_committed_backend(cls.backend_id, cls.flow_id, cls.user_id)


class LogisticsCase(InboundFlowMixin, TransactionCase):
    """A backend with an inbound and an outbound flow served by the fake handler."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_up_inbound()
        cls.Message = cls.env["logistics.message"]
        cls.processor = cls.env["logistics.processor"]
        cls.backend = cls._make_backend("test-backend")
        cls.inbound_type = cls._make_type("test.inbound", "inbound")
        cls.outbound_type = cls._make_type("test.outbound", "outbound")

    @classmethod
    def _make_backend(cls, code, **vals):
        return cls.env["logistics.backend"].create(
            {"name": code.title(), "code": code, "kind": "carrier", **vals}
        )

    @classmethod
    def _make_type(cls, code, direction, **vals):
        return cls.env["logistics.message.type"].create(
            {
                "name": code,
                "code": code,
                "direction": direction,
                "handler_model": "logistics.handler.fake",
                "retry_pattern": "10, 60, 300",
                "retry_jitter": 0.0,
                "max_attempts": 3,
                **vals,
            }
        )

    def receive(self, backend=None, message_type=None, **data):
        """Store an inbound message whose payload tells the fake partner what to do."""
        payload = json.dumps(data, sort_keys=True).encode()
        return self.Message.store_inbound(
            backend or self.backend,
            message_type or self.inbound_type,
            payload,
            content_type="application/json",
        )[0]

    def enqueue(self, key, backend=None, **data):
        payload = json.dumps(data, sort_keys=True).encode()
        return self.Message.enqueue_outbound(
            backend or self.backend,
            self.outbound_type,
            payload,
            key,
            content_type="application/json",
        )[0]

    def process(self):
        return self.processor.process_batch()

    def effects(self, message):
        return self.env["test.logistics.effect"].search([("message_id", "=", message.id)])

    def make_due(self, messages):
        """Pretend the retry delay of ``messages`` has passed."""
        past = fields.Datetime.now() - timedelta(seconds=1)
        messages._service().write({"next_attempt_at": past})

    @classmethod
    def _make_user(cls, login, groups, company=None):
        company = company or cls.env.company
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
