"""The transport layer: outbound HTTP (:mod:`.http`) and SOAP (:mod:`.soap`), webhook
signature schemes (:mod:`.signatures`), secrets at rest (:mod:`.secrets`), the inbound contract
shared with the edge gateway (:mod:`.inbound`) and partner file folders (:mod:`.files`)."""
