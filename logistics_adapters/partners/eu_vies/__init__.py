"""EU VIES: partners' EU VAT numbers checked with the European Commission's ``checkVat``
SOAP service (:mod:`.client`, the published WSDL shipped as ``checkVatService.wsdl``), and
the service's sandbox personality (``--personality eu-vies``, :mod:`.sandbox`).

A public register, not a trading partner: the partner kind is ``registry``, with no codec,
status table or webhook.
"""

from ...sandbox.personalities import register_personality
from ..registry import Partner, register_partner
from . import client

register_personality("eu-vies", "logistics_adapters.partners.eu_vies.sandbox:ViesService")

PARTNER = register_partner(Partner("eu-vies", "EU VIES", "registry"))

__all__ = ["PARTNER", "client"]
