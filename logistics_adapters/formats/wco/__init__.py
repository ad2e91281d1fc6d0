"""The WCO data model (3.6) as DMS customs systems speak it, no partner name in it.

* ``wco-declaration`` (:mod:`.declaration`, written by :mod:`.writer`): customs declarations
  (``MetaData/Declaration``) read into and written from CustomsDeclaration;
* ``wco-notification`` (:mod:`.notification`): the notifications customs sends back
  (``MetaData/Response``: accepted, rejected with errors, duties, released, cleared...) into
  ClearanceStatus, with the response function codes of :mod:`.statuses`.

:mod:`.xml` reads the XML safely (no DTD, no entity, nothing fetched) and by local name;
:mod:`.pointers` writes a response's pointers as text, with the WCO IDs of :mod:`.model_ids`.
"""

from . import declaration, notification

__all__ = ["declaration", "notification"]
