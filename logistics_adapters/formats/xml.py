"""What every XML reader needs to be safe: lxml's entity resolution, DTD loading and network
access off (:data:`SAFE_PARSER`), and a document type declaration refused as soon as it is
met, before its declarations are read (:func:`refuse_doctype`): no entity is ever expanded
or resolved. The inbound contract, the WCO codecs and the sandbox's SOAP personalities read
XML this way."""

from lxml import etree

#: Keyword arguments of ``etree.XMLParser`` for partner XML.
SAFE_PARSER = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


class DoctypeRefused(Exception):
    """A document type declaration was met; its message is the refusal in words."""

    def __init__(self, name):
        super().__init__(
            f"XML with a document type declaration (<!DOCTYPE {str(name or '')[:80]}>) is "
            "refused: DTDs and entities are not accepted"
        )


class _DoctypeGuard:
    """An lxml parser target that builds nothing and stops at a document type declaration."""

    def doctype(self, name, public_id, system_id):
        raise DoctypeRefused(name)

    def start(self, tag, attrib, nsmap=None):
        pass

    def end(self, tag):
        pass

    def data(self, data):
        pass

    def close(self):
        return None


def refuse_doctype(data):
    """Read ``data`` (bytes) through without building anything: :class:`DoctypeRefused` at a
    document type declaration, ``etree.XMLSyntaxError`` when it is not well-formed XML."""
    etree.fromstring(data, etree.XMLParser(target=_DoctypeGuard(), **SAFE_PARSER))
