"""X12 004010 segment and element names, for showing a payload to a person.

Standard knowledge only (the X12 segment directory, 004010, with the 005010 acknowledgement
segments ``IK3``/``IK4``/``IK5``/``CTX``), no partner's usage. ``SEGMENTS`` maps a segment tag
to its name and the names of its elements in order (``SEGMENTS["B10"][1][1]`` names ``B1002``);
a name left ``""`` is a position not named here. ``TRANSACTION_SETS`` names the sets the suite
exchanges.
"""

TRANSACTION_SETS = {
    "110": "Air Freight Details and Invoice",
    "204": "Motor Carrier Load Tender",
    "210": "Motor Carrier Freight Details and Invoice",
    "214": "Transportation Carrier Shipment Status Message",
    "846": "Inventory Inquiry/Advice",
    "940": "Warehouse Shipping Order",
    "943": "Warehouse Stock Transfer Shipment Advice",
    "944": "Warehouse Stock Transfer Receipt Advice",
    "945": "Warehouse Shipping Advice",
    "990": "Response to a Load Tender",
    "997": "Functional Acknowledgment",
    "999": "Implementation Acknowledgment",
}


#: Tag -> (segment name, element names written ``"A | B | C"``).
_DIRECTORY = {
    "ISA": (
        "Interchange Control Header",
        "Authorization Information Qualifier | Authorization Information | "
        "Security Information Qualifier | Security Information | Interchange ID Qualifier | "
        "Interchange Sender ID | Interchange ID Qualifier | Interchange Receiver ID | "
        "Interchange Date | Interchange Time | "
        "Interchange Control Standards Identifier or Repetition Separator | "
        "Interchange Control Version Number | Interchange Control Number | "
        "Acknowledgment Requested | Usage Indicator | Component Element Separator",
    ),
    "GS": (
        "Functional Group Header",
        "Functional Identifier Code | Application Sender's Code | Application Receiver's Code | "
        "Date | Time | Group Control Number | Responsible Agency Code | "
        "Version / Release / Industry Identifier Code",
    ),
    "ST": (
        "Transaction Set Header",
        "Transaction Set Identifier Code | Transaction Set Control Number | "
        "Implementation Convention Reference",
    ),
    "SE": (
        "Transaction Set Trailer",
        "Number of Included Segments | Transaction Set Control Number",
    ),
    "GE": (
        "Functional Group Trailer",
        "Number of Transaction Sets Included | Group Control Number",
    ),
    "IEA": (
        "Interchange Control Trailer",
        "Number of Included Functional Groups | Interchange Control Number",
    ),
    "TA1": (
        "Interchange Acknowledgment",
        "Interchange Control Number | Interchange Date | Interchange Time | "
        "Interchange Acknowledgment Code | Interchange Note Code",
    ),
    "AK1": (
        "Functional Group Response Header",
        "Functional Identifier Code | Group Control Number",
    ),
    "AK2": (
        "Transaction Set Response Header",
        "Transaction Set Identifier Code | Transaction Set Control Number",
    ),
    "AK3": (
        "Data Segment Note",
        "Segment ID Code | Segment Position in Transaction Set | Loop Identifier Code | "
        "Segment Syntax Error Code",
    ),
    "AK4": (
        "Data Element Note",
        "Position in Segment | Data Element Reference Number | Data Element Syntax Error Code | "
        "Copy of Bad Data Element",
    ),
    "AK5": (
        "Transaction Set Response Trailer",
        "Transaction Set Acknowledgment Code | Transaction Set Syntax Error Code | "
        "Transaction Set Syntax Error Code | Transaction Set Syntax Error Code | "
        "Transaction Set Syntax Error Code | Transaction Set Syntax Error Code",
    ),
    "AK9": (
        "Functional Group Response Trailer",
        "Functional Group Acknowledgment Code | Number of Transaction Sets Included | "
        "Number of Received Transaction Sets | Number of Accepted Transaction Sets | "
        "Functional Group Syntax Error Code | Functional Group Syntax Error Code | "
        "Functional Group Syntax Error Code | Functional Group Syntax Error Code | "
        "Functional Group Syntax Error Code",
    ),
    "AMT": (
        "Monetary Amount Information",
        "Amount Qualifier Code | Monetary Amount | Credit/Debit Flag Code",
    ),
    "AT5": (
        "Bill of Lading Handling Requirements",
        "Special Handling Code | Special Services Code | Special Handling Description",
    ),
    "AT7": (
        "Shipment Status Detail",
        "Shipment Status Code | Shipment Status or Appointment Reason Code | "
        "Shipment Appointment Status Code | Shipment Status or Appointment Reason Code | Date | "
        "Time | Time Code",
    ),
    "AT8": (
        "Shipment Weight, Packaging and Quantity Data",
        "Weight Qualifier | Weight Unit Code | Weight | Lading Quantity | Lading Quantity | "
        "Volume Unit Qualifier | Volume",
    ),
    "B1": (
        "Beginning Segment for Booking or Pick-up/Delivery",
        "Standard Carrier Alpha Code | Shipment Identification Number | Date | "
        "Reservation Action Code",
    ),
    "B10": (
        "Beginning Segment for Transportation Carrier Shipment Status Message",
        "Reference Identification | Shipment Identification Number | "
        "Standard Carrier Alpha Code | Inquiry Request Number | "
        "Reference Identification Qualifier | Reference Identification | "
        "Yes/No Condition or Response Code",
    ),
    "B2": (
        "Beginning Segment for Shipment Information Transaction",
        "Tariff Service Code | Standard Carrier Alpha Code | Standard Point Location Code | "
        "Shipment Identification Number | Weight Unit Code | Shipment Method of Payment | "
        "Shipment Qualifier | Total Equipment | Shipment Weight Code | "
        "Customs Documentation Handling Code | Transportation Terms Code | "
        "Payment Method Code",
    ),
    "B2A": (
        "Set Purpose",
        "Transaction Set Purpose Code | Application Type",
    ),
    "B3": (
        "Beginning Segment for Carrier's Invoice",
        "Shipment Qualifier | Invoice Number | Shipment Identification Number | "
        "Shipment Method of Payment | Weight Unit Code | Date | Net Amount Due | "
        "Correction Indicator | Invoice Due Date | Date/Time Qualifier | "
        "Standard Carrier Alpha Code | Date",
    ),
    "BIA": (
        "Beginning Segment for Inventory Inquiry/Advice",
        "Transaction Set Purpose Code | Report Type Code | Reference Identification | Date | Time",
    ),
    "C3": (
        "Currency",
        "Currency Code | Exchange Rate | Currency Code",
    ),
    "CTP": (
        "Pricing Information",
        "Class of Trade Code | Price Identifier Code | Unit Price | Quantity | "
        "Composite Unit of Measure | Price Multiplier Qualifier | Multiplier | "
        "Monetary Amount | Basis of Unit Price Code | Condition Value | "
        "Multiple Price Quantity",
    ),
    "CTX": (
        "Context",
        "Context Identification | Segment ID Code | Segment Position in Transaction Set | "
        "Loop Identifier Code | Position in Segment | Reference in Segment",
    ),
    "DTM": (
        "Date/Time Reference",
        "Date/Time Qualifier | Date | Time | Time Code | Date Time Period Format Qualifier | "
        "Date Time Period",
    ),
    "G61": (
        "Contact",
        "Contact Function Code | Name | Communication Number Qualifier | Communication Number | "
        "Contact Inquiry Reference",
    ),
    "G62": (
        "Date/Time",
        "Date Qualifier | Date | Time Qualifier | Time | Time Code",
    ),
    "G69": (
        "Line Item Detail - Description",
        "Free-form Description",
    ),
    "G72": (
        "Allowance or Charge",
        "Allowance or Charge Code | Allowance/Charge Handling Code",
    ),
    "H3": (
        "Special Handling Instructions",
        "Special Handling Code | Special Handling Description | Protective Service Code | "
        "Vent Instruction Code | Tariff Application Code",
    ),
    "IK3": (
        "Implementation Data Segment Note",
        "Segment ID Code | Segment Position in Transaction Set | Loop Identifier Code | "
        "Implementation Segment Syntax Error Code",
    ),
    "IK4": (
        "Implementation Data Element Note",
        "Position in Segment | Data Element Reference Number | "
        "Implementation Data Element Syntax Error Code | Copy of Bad Data Element",
    ),
    "IK5": (
        "Implementation Transaction Set Response Trailer",
        "Transaction Set Acknowledgment Code | "
        "Implementation Transaction Set Syntax Error Code | "
        "Implementation Transaction Set Syntax Error Code | "
        "Implementation Transaction Set Syntax Error Code | "
        "Implementation Transaction Set Syntax Error Code | "
        "Implementation Transaction Set Syntax Error Code",
    ),
    "ITD": (
        "Terms of Sale/Deferred Terms of Sale",
        "Terms Type Code | Terms Basis Date Code | Terms Discount Percent | "
        "Terms Discount Due Date | Terms Discount Days Due | Terms Net Due Date | "
        "Terms Net Days | Terms Discount Amount | Terms Deferred Due Date | "
        "Deferred Amount Due | Percent of Invoice Payable | Description | Day of Month | "
        "Payment Method Code | Percent",
    ),
    "K1": (
        "Remarks",
        "Free-Form Message | Free-Form Message",
    ),
    "L0": (
        "Line Item - Quantity and Weight",
        "Lading Line Item Number | Billed/Rated-as Quantity | Billed/Rated-as Qualifier | "
        "Weight | Weight Qualifier | Volume | Volume Unit Qualifier | Lading Quantity | "
        "Packaging Form Code | Dunnage Description | Weight Unit Code | Type of Service Code | "
        "Quantity | Packaging Form Code | Yes/No Condition or Response Code",
    ),
    "L1": (
        "Rate and Charges",
        "Lading Line Item Number | Freight Rate | Rate/Value Qualifier | Charge | Advances | "
        "Prepaid Amount | Rate Combination Point | Special Charge or Allowance Code | "
        "Rate Class Code | Entitlement Code | Charge Method of Payment | "
        "Special Charge Description | Tariff Application Code | Declared Value | "
        "Rate/Value Qualifier | Liability Code | Billed/Rated-as Quantity | "
        "Billed/Rated-as Qualifier | Percent",
    ),
    "L11": (
        "Business Instructions and Reference Number",
        "Reference Identification | Reference Identification Qualifier | Description",
    ),
    "L3": (
        "Total Weight and Charges",
        "Weight | Weight Qualifier | Freight Rate | Rate/Value Qualifier | Charge | Advances | "
        "Prepaid Amount | Special Charge or Allowance Code | Volume | Volume Unit Qualifier | "
        "Lading Quantity | Weight Unit Code | Tariff Number | Declared Value | "
        "Rate/Value Qualifier",
    ),
    "L4": (
        "Measurement",
        "Length | Width | Height | Measurement Unit Qualifier | Quantity",
    ),
    "L5": (
        "Description, Marks and Numbers",
        "Lading Line Item Number | Lading Description | Commodity Code | "
        "Commodity Code Qualifier | Packaging Code | Marks and Numbers | "
        "Marks and Numbers Qualifier | Commodity Code Qualifier | Commodity Code | "
        "Compartment ID Code",
    ),
    "L7": (
        "Tariff Reference",
        "Lading Line Item Number | Tariff Agency Code | Tariff Number | Tariff Section | "
        "Tariff Item Number | Tariff Item Part | Freight Class Code | Tariff Supplement | "
        "Ex Parte | Date | Rate Basis Number | Tariff Column | Tariff Distance | "
        "Distance Qualifier | City Name | State or Province Code",
    ),
    "LAD": (
        "Lading Detail",
        "Packaging Form Code | Lading Quantity | Weight Unit Code | Unit Weight | "
        "Weight Unit Code | Weight | Product/Service ID Qualifier | Product/Service ID | "
        "Product/Service ID Qualifier | Product/Service ID | Product/Service ID Qualifier | "
        "Product/Service ID | Lading Description",
    ),
    "LIN": (
        "Item Identification",
        "Assigned Identification" + " | Product/Service ID Qualifier | Product/Service ID" * 15,
    ),
    "LX": (
        "Assigned Numbers",
        "Assigned Number",
    ),
    "MAN": (
        "Marks and Numbers",
        "Marks and Numbers Qualifier | Marks and Numbers | Marks and Numbers | "
        "Marks and Numbers Qualifier | Marks and Numbers | Marks and Numbers",
    ),
    "MEA": (
        "Measurements",
        "Measurement Reference ID Code | Measurement Qualifier | Measurement Value | "
        "Composite Unit of Measure | Range Minimum | Range Maximum | "
        "Measurement Significance Code | Measurement Attribute Code | "
        "Surface/Layer/Position Code | Measurement Method or Device Code | "
        "Code List Qualifier Code | Industry Code",
    ),
    "MS1": (
        "Equipment, Shipment, or Real Property Location",
        "City Name | State or Province Code | Country Code | Longitude Code | Latitude Code | "
        "Direction Identifier Code | Direction Identifier Code | Postal Code",
    ),
    "MS2": (
        "Equipment or Container Owner and Type",
        "Standard Carrier Alpha Code | Equipment Number | Equipment Description Code | "
        "Equipment Number Check Digit",
    ),
    "MS3": (
        "Interline Information",
        "Standard Carrier Alpha Code | Routing Sequence Code | City Name | "
        "Transportation Method/Type Code | State or Province Code",
    ),
    "N1": (
        "Name",
        "Entity Identifier Code | Name | Identification Code Qualifier | Identification Code | "
        "Entity Relationship Code | Entity Identifier Code",
    ),
    "N2": (
        "Additional Name Information",
        "Name | Name",
    ),
    "N3": (
        "Address Information",
        "Address Information | Address Information",
    ),
    "N4": (
        "Geographic Location",
        "City Name | State or Province Code | Postal Code | Country Code | Location Qualifier | "
        "Location Identifier",
    ),
    "N7": (
        "Equipment Details",
        "Equipment Initial | Equipment Number | Weight | Weight Qualifier | Tare Weight | "
        "Weight Allowance | Dunnage | Volume | Volume Unit Qualifier | Ownership Code | "
        "Equipment Description Code | Standard Carrier Alpha Code | Temperature Control | "
        "Position | Equipment Length | Tare Qualifier Code | Weight Unit Code | "
        "Equipment Number Check Digit | Type of Service Code | Height | Width | "
        "Equipment Type | Standard Carrier Alpha Code | Car Type Code",
    ),
    "N9": (
        "Reference Identification",
        "Reference Identification Qualifier | Reference Identification | "
        "Free-form Description | Date | Time | Time Code | Reference Identifier",
    ),
    "NTE": (
        "Note/Special Instruction",
        "Note Reference Code | Description",
    ),
    "PER": (
        "Administrative Communications Contact",
        "Contact Function Code | Name | Communication Number Qualifier | Communication Number | "
        "Communication Number Qualifier | Communication Number | "
        "Communication Number Qualifier | Communication Number | Contact Inquiry Reference",
    ),
    "PID": (
        "Product/Item Description",
        "Item Description Type | Product/Process Characteristic Code | Agency Qualifier Code | "
        "Product Description Code | Description | Surface/Layer/Position Code | "
        "Source Subqualifier | Yes/No Condition or Response Code | Language Code",
    ),
    "Q7": (
        "Lading Exception Status",
        "Lading Exception Code | Packaging Form Code | Lading Quantity",
    ),
    "QTY": (
        "Quantity Information",
        "Quantity Qualifier | Quantity | Composite Unit of Measure | Free-Form Message",
    ),
    "REF": (
        "Reference Identification",
        "Reference Identification Qualifier | Reference Identification | Description | "
        "Reference Identifier",
    ),
    "S5": (
        "Stop Off Details",
        "Stop Sequence Number | Stop Reason Code | Weight | Weight Unit Code | "
        "Number of Units Shipped | Unit or Basis for Measurement Code | Volume | "
        "Volume Unit Qualifier | Description | Standard Point Location Code | Accomplish Code",
    ),
    "SAC": (
        "Service, Promotion, Allowance, or Charge Information",
        "Allowance or Charge Indicator | Service, Promotion, Allowance, or Charge Code | "
        "Agency Qualifier Code | Agency Service, Promotion, Allowance, or Charge Code | "
        "Amount | Allowance/Charge Percent Qualifier | Percent | Rate | "
        "Unit or Basis for Measurement Code | Quantity | Quantity | "
        "Allowance or Charge Method of Handling Code | Reference Identification | "
        "Option Number | Description | Language Code",
    ),
    "SN1": (
        "Item Detail (Shipment)",
        "Assigned Identification | Number of Units Shipped | "
        "Unit or Basis for Measurement Code | Quantity Shipped to Date | Quantity Ordered | "
        "Unit or Basis for Measurement Code | Returnable Container Load Make-Up Code | "
        "Line Item Status Code",
    ),
    "TD1": (
        "Carrier Details (Quantity and Weight)",
        "Packaging Code | Lading Quantity | Commodity Code Qualifier | Commodity Code | "
        "Lading Description | Weight Qualifier | Weight | Unit or Basis for Measurement Code | "
        "Volume | Unit or Basis for Measurement Code",
    ),
    "TD3": (
        "Carrier Details (Equipment)",
        "Equipment Description Code | Equipment Initial | Equipment Number | Weight Qualifier | "
        "Weight | Unit or Basis for Measurement Code",
    ),
    "TD5": (
        "Carrier Details (Routing Sequence/Transit Time)",
        "Routing Sequence Code | Identification Code Qualifier | Identification Code | "
        "Transportation Method/Type Code | Routing | Shipment/Order Status Code | "
        "Location Qualifier | Location Identifier | Transit Direction Code | "
        "Transit Time Direction Qualifier | Transit Time | Service Level Code",
    ),
    "UIT": (
        "Unit Detail",
        "Composite Unit of Measure | Unit Price",
    ),
    "W01": (
        "Line Item Detail",
        "Quantity | Unit or Basis for Measurement Code | U.P.C. Case Code | "
        "Product/Service ID Qualifier | Product/Service ID | Product/Service ID Qualifier | "
        "Product/Service ID | Freight Class Code | Rate Class Code | Commodity Code Qualifier | "
        "Commodity Code | Pallet Block and Tiers | Warehouse Lot Number | "
        "Product/Service Condition Code | Product/Service ID Qualifier | Product/Service ID | "
        "Special Services Code",
    ),
    "W03": (
        "Total Shipment Information",
        "Number of Units Shipped | Weight | Unit or Basis for Measurement Code | Volume | "
        "Unit or Basis for Measurement Code | Lading Quantity | "
        "Unit or Basis for Measurement Code",
    ),
    "W04": (
        "Item Detail Total",
        "Number of Units Shipped | Unit or Basis for Measurement Code | U.P.C. Case Code | "
        "Product/Service ID Qualifier | Product/Service ID | Product/Service ID Qualifier | "
        "Product/Service ID | Freight Class Code | Rate Class Code | Commodity Code Qualifier | "
        "Commodity Code | Pallet Block and Tiers | Inbound Condition Hold Code | "
        "Product/Service ID Qualifier | Product/Service ID",
    ),
    "W05": (
        "Shipping Order Identification",
        "Order Status Code | Depositor Order Number | Purchase Order Number |  |  | "
        "Transaction Type Code | Action Code | Purchase Order Type Code",
    ),
    "W06": (
        "Warehouse Shipment Identification",
        "Reporting Code | Depositor Order Number | Date | Shipment Identification Number | "
        "Agent Shipment ID Number | Purchase Order Number | Master Reference Number | "
        "Link Sequence Number | Special Handling Code | Shipping Date Change Reason Code | "
        "Transaction Type Code | Action Code",
    ),
    "W07": (
        "Item Detail For Stock Receipt",
        "Quantity | Unit or Basis for Measurement Code | U.P.C. Case Code | "
        "Product/Service ID Qualifier | Product/Service ID | Product/Service ID Qualifier | "
        "Product/Service ID | Warehouse Lot Number | "
        "Warehouse Detail Adjustment Identifier Code | Product/Service ID Qualifier | "
        "Product/Service ID",
    ),
    "W08": (
        "Receipt Carrier Information",
        "Transportation Method/Type Code | Standard Carrier Alpha Code | Routing | "
        "Equipment Initial | Equipment Number | Seal Number | Seal Number | Seal Status Code | "
        "Unit Load Option Code",
    ),
    "W12": (
        "Warehouse Item Detail",
        "Shipment/Order Status Code | Quantity | Number of Units Shipped | "
        "Quantity Difference | Unit or Basis for Measurement Code | U.P.C. Case Code | "
        "Product/Service ID Qualifier | Product/Service ID | Warehouse Lot Number | Weight | "
        "Weight Qualifier | Weight Unit Code | Weight | Weight Qualifier | Weight Unit Code | "
        "U.P.C. Case Code | Product/Service ID Qualifier | Product/Service ID | "
        "Line Item Change Reason Code | Warehouse Detail Adjustment Identifier Code | "
        "Product/Service ID Qualifier | Product/Service ID",
    ),
    "W14": (
        "Total Receipt Information",
        "Quantity | Quantity | Quantity | Quantity | Quantity",
    ),
    "W17": (
        "Warehouse Receipt Identification",
        "Reporting Code | Date | Warehouse Receipt Number | Depositor Order Number | "
        "Shipment Identification Number | Time Qualifier | Time | Master Reference Number | "
        "Link Sequence Number",
    ),
    "W20": (
        "Packing",
        "Pack | Size | Unit or Basis for Measurement Code | Weight | Weight Qualifier | "
        "Weight Unit Code | Unit Weight | Volume | Unit or Basis for Measurement Code | Color",
    ),
    "W27": (
        "Carrier Detail",
        "Transportation Method/Type Code | Standard Carrier Alpha Code | Routing | "
        "Shipment Method of Payment | Equipment Description Code | Equipment Initial | "
        "Equipment Number | Shipment/Order Status Code | Special Handling Code | "
        "Carrier/Route Change Reason Code",
    ),
    "W66": (
        "Warehouse Carrier Information",
        "Shipment Method of Payment | Transportation Method/Type Code | Pallet Exchange Code | "
        "Unit Load Option Code | Routing | F.O.B. Point Code | F.O.B. Point | "
        "COD Method of Payment Code | Amount | Standard Carrier Alpha Code",
    ),
    "W76": (
        "Total Shipping Order",
        "Quantity | Weight | Unit or Basis for Measurement Code | Volume | "
        "Unit or Basis for Measurement Code | Order Sizing Factor",
    ),
}

SEGMENTS = {
    tag: (name, [element.strip() for element in elements.split("|")])
    for tag, (name, elements) in _DIRECTORY.items()
}
