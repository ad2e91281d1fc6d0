"""Hypothesis strategies building canonical objects."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import strategies as st

from logistics_adapters import canonical as c

texts = st.text(max_size=20)
codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", max_size=8)
status_codes = st.sampled_from([code for code, _label in c.STATUSES])
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
aware_datetimes = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1), timezones=offsets
)
# Partners without zone (X12, EDIFACT local times) give naive datetimes: those must survive too.
event_times = st.none() | aware_datetimes | st.datetimes(min_value=datetime(1970, 1, 2))
dates = st.none() | st.dates(min_value=date(1900, 1, 1))
amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False
)
weights = st.none() | st.floats(min_value=0, max_value=1e6, allow_nan=False)

addresses = st.builds(
    c.Address,
    name=texts,
    street=texts,
    city=texts,
    zip=codes,
    country=st.sampled_from(["", "US", "DE", "FR", "JP"]),
)
parcels = st.builds(
    c.Parcel,
    reference=codes,
    tracking_number=codes,
    weight_kg=weights,
    length_cm=weights,
)
tracking_events = st.builds(
    c.TrackingEvent,
    tracking_number=codes,
    status=status_codes,
    partner_status=codes,
    partner_status_text=texts,
    occurred_at=event_times,
    location=texts,
    description=texts,
    partner_event_id=codes,
    carrier=codes,
    signed_by=texts,
)
shipments = st.builds(
    c.Shipment,
    reference=codes,
    carrier=codes,
    tracking_number=codes,
    status=status_codes,
    ship_from=st.none() | addresses,
    ship_to=st.none() | addresses,
    parcels=st.lists(parcels, max_size=3),
    ship_date=dates,
    declared_value=st.none() | amounts,
    currency=st.sampled_from(["", "EUR", "USD"]),
    is_return=st.booleans(),
    references=st.dictionaries(codes, texts, max_size=3),
)
charges = st.builds(
    c.Charge,
    code=codes,
    amount=amounts,
    description=texts,
    quantity=weights,
    rate=st.none() | amounts,
)
freight_invoices = st.builds(
    c.FreightInvoice,
    invoice_number=codes,
    invoice_date=dates,
    due_date=dates,
    carrier=codes,
    currency=st.sampled_from(["", "EUR", "USD"]),
    total=st.none() | amounts,
    bill_to=st.none() | addresses,
    charges=st.lists(charges, max_size=4),
)
labels = st.builds(
    c.Label, tracking_number=codes, content=st.none() | st.binary(max_size=64), url=texts
)
canonical_objects = st.one_of(tracking_events, shipments, freight_invoices, labels)
