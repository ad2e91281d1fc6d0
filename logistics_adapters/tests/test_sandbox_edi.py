"""The sandbox's EDI partner: pickup and 997s (accept, reject, silent), sending interchanges
(several sets, duplicates, wrong counts), over local folders, SFTP, HTTP and the command line."""

import os
import threading
import time

import pytest

from logistics_adapters.formats import x12
from logistics_adapters.formats.edi import EnvelopeError
from logistics_adapters.sandbox import EdiPartner, Sandbox
from logistics_adapters.sandbox.__main__ import main as sandbox_main
from logistics_adapters.sandbox.edi import ControlNumbers
from logistics_adapters.tests.helpers import (
    SAMPLES,
    loopback_session,
    needs_samples,
    served_sandbox,
)
from logistics_adapters.transport.files import LocalFolder, SftpFolder

ODOO = ("ZZ", "ODOO")
PARTNER = ("ZZ", "SANDBOX")
USER = "edi"
PASSWORD = "edi-Pa55word"
STATUS_SETS = [[["B10", f"PRO{n}", f"BOL{n}", "SCAC"], ["AT7", "X1", "NS"]] for n in range(3)]


def _odoo_interchange(kind="940", count=3, version="004010", functional_id="OW", first=500):
    """What Odoo sends: one interchange of ``count`` sets, control numbers from ``first``."""
    numbers = x12.sequential_numbers(first, first, first)
    envelope = x12.Envelope(ODOO, PARTNER, numbers("interchange"), version=version, usage="T")
    sets = [
        x12.TransactionSet(kind, [["W05", "N", f"SO{n}"]], numbers("set")) for n in range(count)
    ]
    return x12.render(envelope, [x12.FunctionalGroup(functional_id, numbers("group"), sets)])


def _only_file(folder):
    names = [entry.name for entry in folder.list_ready(min_age=0)]
    assert len(names) == 1, names
    return names[0], folder.read(names[0])


def _ack_sets(answer):
    """``(AK9 elements, [(AK2 set control, AK5 status), ...])`` of a one-group 997."""
    unit = next(iter(x12.X12Reader(answer)))
    segments = [[str(value) for value in segment] for segment in unit.segments]
    statuses = [segment[1] for segment in segments if segment[0] == "AK5"]
    controls = [segment[2] for segment in segments if segment[0] == "AK2"]
    ak9 = next(segment[1:] for segment in segments if segment[0] == "AK9")
    return ak9, list(zip(controls, statuses, strict=True))


@pytest.fixture
def folders(tmp_path):
    """The partner's inbox and outbox, as the Odoo side sees them (local folders)."""
    (tmp_path / "to_partner").mkdir()
    (tmp_path / "from_partner").mkdir()
    return LocalFolder(tmp_path / "to_partner"), LocalFolder(tmp_path / "from_partner")


@pytest.fixture
def partner(folders):
    inbox, outbox = folders
    edi = EdiPartner(inbox.path, outbox.path, first_control=1)
    yield edi
    edi.stop()


# -- receiving -------------------------------------------------------------------------------


def test_pickup_answers_each_set_with_a_997(partner, folders):
    inbox, outbox = folders
    inbox.write_atomic("940_500.edi", _odoo_interchange())
    [entry] = partner.pickup()
    name, answer = _only_file(outbox)
    ak9, sets = _ack_sets(answer)
    assert name == "997_000000001.edi"
    assert ak9 == ["A", "3", "3", "3"]
    assert sets == [("0500", "A"), ("0501", "A"), ("0502", "A")]
    header = x12.read_header(answer)
    assert (header.sender, header.receiver, header.usage) == (PARTNER, ODOO, "T")
    assert os.listdir(inbox.path) == ["archive"]
    assert os.listdir(os.path.join(inbox.path, "archive")) == ["940_500.edi"]
    [received] = entry["interchanges"]
    assert received["control_number"] == "000000500"
    assert [(s["kind"], s["control_number"]) for s in received["sets"]] == [
        ("940", "0500"),
        ("940", "0501"),
        ("940", "0502"),
    ]
    assert received["answer"]["file"] == name
    assert received["answer"]["acks"][0]["sets"] == {"0500": "A", "0501": "A", "0502": "A"}
    assert partner.entries("received") == [entry]
    assert partner.pickup() == []


def test_reject_mode_rejects_every_set(partner, folders):
    inbox, outbox = folders
    partner.set_mode("reject")
    inbox.write_atomic("940.edi", _odoo_interchange())
    partner.pickup()
    ak9, sets = _ack_sets(_only_file(outbox)[1])
    assert ak9 == ["R", "3", "3", "0"]
    assert [status for _control, status in sets] == ["R", "R", "R"]
    [report] = x12.read_acknowledgements(_only_file(outbox)[1])
    assert not any(item.accepted for item in report.sets)


def test_silent_mode_takes_the_file_and_answers_nothing(partner, folders):
    inbox, outbox = folders
    partner.set_mode("silent")
    inbox.write_atomic("940.edi", _odoo_interchange())
    [entry] = partner.pickup()
    assert os.listdir(outbox.path) == []
    assert entry["interchanges"][0]["answer"] is None
    assert os.listdir(os.path.join(inbox.path, "archive")) == ["940.edi"]


def test_unknown_mode_is_refused(partner):
    with pytest.raises(ValueError, match="accept, reject, silent"):
        partner.set_mode("maybe")
    assert partner.mode == "accept"


def test_005010_groups_get_a_999(partner, folders):
    inbox, outbox = folders
    inbox.write_atomic("940.edi", _odoo_interchange(version="005010", count=2))
    partner.pickup()
    name, answer = _only_file(outbox)
    [report] = x12.read_acknowledgements(answer)
    assert name.startswith("999_")
    assert (report.ack_kind, report.status, report.accepted) == ("999", "A", 2)


def test_an_envelope_error_is_acknowledged_by_the_x12_rules(partner, folders):
    inbox, outbox = folders
    data = _odoo_interchange().replace(b"SE*3*0501~", b"SE*9*0501~")
    inbox.write_atomic("940.edi", data)
    partner.pickup()
    ak9, sets = _ack_sets(_only_file(outbox)[1])
    assert ak9 == ["E", "3", "3", "3"]
    assert sets == [("0500", "A"), ("0501", "E"), ("0502", "A")]


def test_a_received_997_is_recorded_not_answered(partner, folders):
    inbox, outbox = folders
    name, control = partner.send("214", STATUS_SETS)
    sent = outbox.read(name)
    outbox.archive(name)  # Odoo took it
    [odoo_ack] = x12.acknowledge(sent, control_numbers=x12.sequential_numbers(900, 900, 900))
    inbox.write_atomic("997_from_odoo.edi", odoo_ack)
    [entry] = partner.pickup()
    assert [entry.name for entry in outbox.list_ready(min_age=0)] == []
    [ack] = entry["received_acks"]
    assert (ack["kind"], ack["functional_id"], ack["status"]) == ("997", "QM", "A")
    assert ack["group"] == x12.read(sent)[0].interchange.groups[0].control_number
    assert entry["interchanges"][0]["answer"] is None
    assert control == "000000001"


def test_a_file_that_is_no_x12_goes_to_the_error_folder(partner, folders):
    inbox, outbox = folders
    inbox.write_atomic("orders.csv", b"order,qty\nSO1,2\n")
    [entry] = partner.pickup()
    assert "ISA" in entry["error"]
    assert os.listdir(os.path.join(inbox.path, "error")) == ["orders.csv"]
    assert os.listdir(outbox.path) == []


# -- sending ---------------------------------------------------------------------------------


def test_send_writes_one_interchange_with_several_sets(partner, folders):
    _inbox, outbox = folders
    name, control = partner.send("214", STATUS_SETS)
    [reading] = x12.read(outbox.read(name), strict=True)
    assert name == f"214_{control}.edi"
    assert reading.interchange.control_number == control
    assert (reading.interchange.sender, reading.interchange.receiver) == (PARTNER, ODOO)
    assert [group.functional_id for group in reading.interchange.groups] == ["QM"]
    assert [unit.kind for unit in reading.units] == ["214", "214", "214"]
    assert len({unit.control_number for unit in reading.units}) == 3
    assert reading.units[1].segments[1] == ["B10", "PRO1", "BOL1", "SCAC"]
    assert partner.entries("sent")[0]["control_number"] == control


def test_send_refuses_what_it_cannot_write(partner):
    with pytest.raises(ValueError, match="kind"):
        partner.send("123", STATUS_SETS)
    with pytest.raises(ValueError, match="sets"):
        partner.send("214", [])
    with pytest.raises(ValueError, match="delimiter"):
        partner.send("214", [[["B10", "A*B"]]])
    with pytest.raises(ValueError, match="plain file name"):
        partner.send("214", STATUS_SETS, file_name="../x.edi")


def test_duplicate_resends_the_same_interchange_under_another_name(partner, folders):
    _inbox, outbox = folders
    with pytest.raises(ValueError, match="nothing was sent"):
        partner.send(duplicate=True)
    first, control = partner.send("214", STATUS_SETS[:2])
    again, same = partner.send(duplicate=True)
    assert (same, again != first) == (control, True)
    assert outbox.read(again) == outbox.read(first)
    assert x12.read_header(outbox.read(again)).control_number == control
    with pytest.raises(ValueError, match="as it was"):
        partner.send("214", STATUS_SETS, duplicate=True)
    assert partner.entries("sent")[-1]["duplicate"] is True


def test_wrong_counts_spoil_se01_ge01_and_iea01_once_each(partner, folders):
    _inbox, outbox = folders
    name, _control = partner.send("214", STATUS_SETS, wrong_counts=True)
    data = outbox.read(name)
    [reading] = x12.read(data)
    found = [d.element for unit in reading.units for d in unit.discrepancies]
    found += [d.element for d in reading.interchange.all_discrepancies]
    assert sorted(found) == ["GE01", "IEA01", "SE01"]
    assert [bool(unit.discrepancies) for unit in reading.units] == [True, False, False]
    assert b"SE*5*" in data and b"GE*4*" in data and b"IEA*2*" in data
    with pytest.raises(EnvelopeError):
        x12.read(data, strict=True)


@needs_samples
def test_send_sample_drops_the_published_file_as_is(partner, folders):
    _inbox, outbox = folders
    sample = SAMPLES / "x12_214_canadapost_multi_transaction.edi"
    name, control = partner.send_sample(sample)
    assert (name, control) == (sample.name, "000001644")
    assert outbox.read(name) == sample.read_bytes()


def test_control_numbers_count_up_across_threads():
    numbers = ControlNumbers(first=999_999_990)
    taken = []

    def take():
        taken.extend(numbers("interchange") for _ in range(200))

    threads = [threading.Thread(target=take) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(taken)) == 1000
    assert max(taken) == 999_999_999 and min(taken) == 1
    assert numbers("set") == 999_999_990


# -- background polling ----------------------------------------------------------------------


def _wait_for_file(folder, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = folder.list_ready(min_age=0)
        if ready:
            return ready[0].name
        time.sleep(0.05)
    raise AssertionError(f"no file appeared in {folder} within {timeout} s")


def test_background_polling_answers_within_seconds(folders):
    inbox, outbox = folders
    with EdiPartner(inbox.path, outbox.path, first_control=1).start(poll_seconds=0.1) as partner:
        inbox.write_atomic("940.edi", _odoo_interchange())
        name = _wait_for_file(outbox)
        # The answer is written before the pickup is logged: wait for the log too.
        deadline = time.monotonic() + 5.0
        while not partner.entries("received") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert partner.entries("received")[0]["interchanges"][0]["answer"]["file"] == name
    partner.start(poll_seconds=0.1)
    with pytest.raises(RuntimeError, match="already"):
        partner.start()
    partner.stop()


# -- SFTP ------------------------------------------------------------------------------------


@pytest.fixture
def sftp_folders(tmp_path):
    """An SFTP server on 127.0.0.1; yield a factory of folders on it (``to_partner`` and
    ``from_partner``), one connection each."""
    paramiko = pytest.importorskip("paramiko")
    from .sftp_server import SftpTestServer

    root = tmp_path / "root"
    for name in ("to_partner", "from_partner"):
        (root / name).mkdir(parents=True)
    host_key = paramiko.ECDSAKey.generate()
    opened = []

    def folder(path):
        line = f"{host_key.get_name()} {host_key.get_base64()}"
        options = {"password": PASSWORD, "host_key": line, "path": path, "timeout": 5}
        opened.append(SftpFolder("127.0.0.1", server.port, USER, **options))
        return opened[-1]

    with SftpTestServer(root, host_key, {USER: PASSWORD}) as server:
        yield folder
        for each in opened:
            each.close()


def test_sftp_pickup_answers_and_send_arrives(sftp_folders):
    odoo_out, odoo_in = sftp_folders("/to_partner"), sftp_folders("/from_partner")
    partner = EdiPartner(
        sftp_folders("/to_partner"), sftp_folders("/from_partner"), first_control=7
    )
    odoo_out.write_atomic("940.edi", _odoo_interchange())
    [entry] = partner.pickup()
    name, answer = _only_file(odoo_in)
    assert name == "997_000000007.edi"
    assert _ack_sets(answer)[0] == ["A", "3", "3", "3"]
    assert entry["interchanges"][0]["answer"]["file"] == name
    odoo_in.archive(name)
    sent, _control = partner.send("214", STATUS_SETS)
    assert [unit.kind for unit in x12.X12Reader(odoo_in.read(sent))] == ["214"] * 3
    partner.stop()


def test_sftp_background_polling_in_reject_mode(sftp_folders):
    odoo_out, odoo_in = sftp_folders("/to_partner"), sftp_folders("/from_partner")
    partner = EdiPartner(sftp_folders("/to_partner"), sftp_folders("/from_partner"))
    partner.set_mode("reject")
    with partner.start(poll_seconds=0.1):
        odoo_out.write_atomic("940.edi", _odoo_interchange())
        name = _wait_for_file(odoo_in)
    assert _ack_sets(odoo_in.read(name))[0] == ["R", "3", "3", "0"]


# -- HTTP control routes and the command line ------------------------------------------------


@pytest.fixture
def served(partner):
    with Sandbox(port=0, route_sets=[partner]) as sandbox, loopback_session() as http:
        yield sandbox, http


def test_http_routes_drive_the_partner(served, partner, folders):
    sandbox, http = served
    inbox, outbox = folders
    base = f"{sandbox.url}/_sandbox/edi"
    assert http.post(f"{base}/mode", json={"mode": "reject"}, timeout=5).json() == {
        "mode": "reject"
    }
    inbox.write_atomic("940.edi", _odoo_interchange())
    taken = http.post(f"{base}/pickup", timeout=5).json()
    answer = taken["received"][0]["interchanges"][0]["answer"]
    assert answer["acks"][0]["status"] == "R"
    outbox.archive(answer["file"])
    spec = {"kind": "214", "sets": STATUS_SETS, "wrong_counts": True}
    response = http.post(f"{base}/send", json=spec, timeout=5)
    assert response.status_code == 201, response.text
    created = response.json()
    dup = http.post(f"{base}/send", json={"duplicate": True}, timeout=5).json()
    assert dup["control_number"] == created["control_number"]
    log = http.get(f"{base}/log", params={"direction": "sent"}, timeout=5).json()
    assert (log["mode"], log["count"]) == ("reject", 2)
    assert log["log"][0]["wrong_counts"] is True


def test_http_routes_refuse_bad_requests(served):
    sandbox, http = served
    base = f"{sandbox.url}/_sandbox/edi"
    bad = [
        ("mode", {"mode": "maybe"}, "accept, reject, silent"),
        ("send", {"kind": "214", "sets": "nope"}, "sets"),
        ("send", {"kind": "214", "sets": STATUS_SETS, "copies": 2}, "unknown key"),
        ("send", {"kind": "214", "sets": STATUS_SETS, "duplicate": "yes"}, "true or false"),
    ]
    for route, spec, reason in bad:
        response = http.post(f"{base}/{route}", json=spec, timeout=5)
        assert response.status_code == 400, (spec, response.text)
        assert reason in response.json()["error"]
    routes = http.get(f"{sandbox.url}/_sandbox", timeout=5).json()["routes"]
    paths = {route["path"] for route in routes}
    assert {"/_sandbox/edi/mode", "/_sandbox/edi/send", "/_sandbox/edi/log"} <= paths


def test_sandbox_reset_forgets_the_log_and_accepts_again(served, partner):
    sandbox, http = served
    partner.set_mode("silent")
    partner.send("214", STATUS_SETS)
    assert http.post(f"{sandbox.url}/_sandbox/reset", timeout=5).status_code == 200
    assert (partner.mode, partner.entries()) == ("accept", [])


def test_command_line_polls_and_serves_the_control_api(folders):
    inbox, outbox = folders
    options = ["edi", "--inbox", inbox.path, "--outbox", outbox.path, "--poll", "0.1"]
    banner = "logistics EDI sandbox control on http://127.0.0.1:"
    with served_sandbox(*options, banner=banner) as url:
        inbox.write_atomic("940.edi", _odoo_interchange())
        assert _wait_for_file(outbox).startswith("997_")
        with loopback_session() as http:
            log = http.get(f"{url}/log", timeout=5).json()
    assert log["log"][0]["file"] == "940.edi"


def test_command_line_refuses_a_missing_folder(tmp_path, capsys):
    status = sandbox_main(["edi", "--inbox", str(tmp_path / "nope"), "--outbox", str(tmp_path)])
    assert status == 2
    assert "nope" in capsys.readouterr().err


def test_an_interchange_posted_over_http_is_answered_like_a_dropped_file(partner):
    with Sandbox(port=0, route_sets=[partner]) as sandbox, loopback_session() as http:
        refused = http.post(f"{sandbox.url}/edi/interchanges", data=b"not x12")
        assert refused.status_code == 400
        assert "not an X12 interchange" in refused.json()["error"]
        posted = http.post(f"{sandbox.url}/edi/interchanges", data=_odoo_interchange())
    assert posted.status_code == 202
    [entry] = partner.pickup()
    assert entry["file"] == posted.json()["file"]
    assert entry["interchanges"][0]["control_number"] == posted.json()["control_number"]
