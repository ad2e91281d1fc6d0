"""EDIFACT segment and element names, for showing a payload to a person.

Standard knowledge only: the service segments of ISO 9735 (syntax versions 3 and 4) and the
segments of the UN/EDIFACT D.96A and D.03B directories that transport, customs and inventory
messages use; no partner's usage. ``SEGMENTS`` maps a segment tag to its name and the names of
its data elements in order (``SEGMENTS["STS"][1][1]`` names ``STS02``, a composite named as a
whole; ``UNA`` lists the six service characters of the service string advice). ``MESSAGES``
names the message types the suite exchanges.
"""

MESSAGES = {
    "APERAK": "Application error and acknowledgement",
    "CONTRL": "Syntax and service report",
    "CUSCAR": "Customs cargo report",
    "CUSDEC": "Customs declaration",
    "CUSRES": "Customs response",
    "DESADV": "Despatch advice",
    "IFCSUM": "Forwarding and consolidation summary",
    "IFTMBC": "Booking confirmation",
    "IFTMIN": "Instruction",
    "IFTSTA": "International multimodal status report",
    "INVRPT": "Inventory report",
    "RECADV": "Receiving advice",
}


#: Tag -> (segment name, element names written ``"A | B | C"``).
_DIRECTORY = {
    "UNA": (
        "Service string advice",
        "Component data element separator | Data element separator | Decimal mark | "
        "Release character | Repetition separator (reserved before syntax 4) | "
        "Segment terminator",
    ),
    "UNB": (
        "Interchange header",
        "Syntax identifier | Interchange sender | Interchange recipient | "
        "Date and time of preparation | Interchange control reference | "
        "Recipient reference/password details | Application reference | "
        "Processing priority code | Acknowledgement request | "
        "Interchange agreement identifier | Test indicator",
    ),
    "UNG": (
        "Group header",
        "Message group identification | Application sender identification | "
        "Application recipient identification | Date and time of preparation | "
        "Group reference number | Controlling agency | Message version | Application password",
    ),
    "UNH": (
        "Message header",
        "Message reference number | Message identifier | Common access reference | "
        "Status of the transfer | Message subset identification | "
        "Message implementation guideline identification | "
        "Message type sub-function identification",
    ),
    "UNT": ("Message trailer", "Number of segments in a message | Message reference number"),
    "UNE": ("Group trailer", "Group control count | Group reference number"),
    "UNZ": ("Interchange trailer", "Interchange control count | Interchange control reference"),
    "UCI": (
        "Interchange response",
        "Interchange control reference | Interchange sender | Interchange recipient | "
        "Action, coded | Syntax error, coded | Service segment tag, coded | "
        "Data element identification",
    ),
    "UCF": (
        "Group response",
        "Group reference number | Application sender identification | "
        "Application recipient identification | Action, coded | Syntax error, coded | "
        "Service segment tag, coded | Data element identification",
    ),
    "UCM": (
        "Message response",
        "Message reference number | Message identifier | Action, coded | Syntax error, coded | "
        "Service segment tag, coded | Data element identification",
    ),
    "UCS": ("Segment error indication", "Segment position in message body | Syntax error, coded"),
    "UCD": ("Data element error indication", "Syntax error, coded | Data element identification"),
    "BGM": (
        "Beginning of message",
        "Document/message name | Document/message identification | Message function code | "
        "Response type code",
    ),
    "DTM": ("Date/time/period", "Date/time/period"),
    "NAD": (
        "Name and address",
        "Party function code qualifier | Party identification details | Name and address | "
        "Party name | Street | City name | Country sub-entity details | "
        "Postal identification code | Country name code",
    ),
    "LOC": (
        "Place/location identification",
        "Location function code qualifier | Location identification | "
        "Related location one identification | Related location two identification | "
        "Relation code",
    ),
    "RFF": ("Reference", "Reference"),
    "STS": (
        "Status",
        "Status category | Status | Status reason | Status reason | Status reason | "
        "Status reason | Status reason",
    ),
    "CNI": (
        "Consignment information",
        "Consolidation item number | Document/message details | "
        "Consignment load sequence identifier",
    ),
    "TDT": (
        "Details of transport",
        "Transport stage code qualifier | Means of transport journey identifier | "
        "Mode of transport | Transport means | Carrier | Transit direction indicator code | "
        "Excess transportation information | Transport identification | "
        "Transport means ownership indicator code",
    ),
    "EQD": (
        "Equipment details",
        "Equipment type code qualifier | Equipment identification | Equipment size and type | "
        "Equipment supplier code | Equipment status code | Full or empty indicator code",
    ),
    "SEL": (
        "Seal number",
        "Transport unit seal identifier | Seal issuer | Seal condition code | "
        "Identity number range",
    ),
    "GID": (
        "Goods item details",
        "Goods item number | Number and type of packages | Number and type of packages | "
        "Number and type of packages | Number and type of packages | Number and type of packages",
    ),
    "PCI": (
        "Package identification",
        "Marking instructions code | Marks and labels | "
        "Container or package contents indicator code | Type of marking",
    ),
    "GIN": (
        "Goods identity number",
        "Object identification code qualifier | Identity number range | Identity number range | "
        "Identity number range | Identity number range | Identity number range",
    ),
    "MEA": (
        "Measurements",
        "Measurement purpose code qualifier | Measurement details | Value/range | "
        "Surface or layer code",
    ),
    "FTX": (
        "Free text",
        "Text subject code qualifier | Free text function code | Text reference | Text literal | "
        "Language name code | Free text format code",
    ),
    "TSR": (
        "Transport service requirements",
        "Contract and carriage condition | Service | Transport priority | Nature of cargo",
    ),
    "CNT": ("Control total", "Control"),
    "CTA": ("Contact information", "Contact function code | Department or employee details"),
    "COM": ("Communication contact", "Communication contact"),
    "DOC": (
        "Document/message details",
        "Document/message name | Document/message details | Communication medium type code | "
        "Document copies required quantity | Document originals required quantity",
    ),
    "TOD": (
        "Terms of delivery or transport",
        "Delivery or transport terms function code | Transport charges payment method code | "
        "Terms of delivery or transport",
    ),
    "MOA": ("Monetary amount", "Monetary amount"),
    "PAC": (
        "Package",
        "Package quantity | Packaging details | Package type | Package type identification | "
        "Returnable package details",
    ),
    "QTY": ("Quantity", "Quantity details"),
    "LIN": (
        "Line item",
        "Line item identifier | Action request/notification description code | "
        "Item number identification | Sub-line information | Configuration level number | "
        "Configuration operation code",
    ),
    "PIA": (
        "Additional product id",
        "Product identifier code qualifier | Item number identification | "
        "Item number identification | Item number identification | Item number identification | "
        "Item number identification",
    ),
    "IMD": (
        "Item description",
        "Description format code | Item characteristic | Item description | Surface or layer code",
    ),
}

SEGMENTS = {
    tag: (name, [element.strip() for element in elements.split("|")])
    for tag, (name, elements) in _DIRECTORY.items()
}
