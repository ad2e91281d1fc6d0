from odoo import api, fields, models
from odoo.exceptions import UserError

from logistics_adapters.formats import interchange as edi_io

from .logistics_backend import MANAGER_GROUP

EDI_STANDARDS = [("x12", "ANSI X12"), ("edifact", "UN/EDIFACT")]
#: The three control numbers an interchange carries: interchange (ISA13, UNB05), group
#: (GS06, UNG05) and transaction set or message (ST02, UNH01).
CONTROL_LEVELS = ("interchange", "group", "set")
#: Control numbers are at most nine digits (ISA13); a sequence stops before wrapping.
CONTROL_MAX = 999_999_999
DEFAULT_ACK_DEADLINE = 15


class LogisticsBackend(models.Model):
    """The backend as an EDI trading partner: identifiers, envelope, acknowledgements.

    What the EDI layer of the core needs to read a partner's interchanges (strict or
    lenient envelopes, test or production) and to write ours (identifiers, version,
    delimiters, control numbers from per-partner PostgreSQL sequences), and the
    acknowledgement policy both ways.
    """

    _inherit = "logistics.backend"

    edi_standard = fields.Selection(
        EDI_STANDARDS,
        string="EDI standard",
        tracking=True,
        help="Leave empty for a partner that does not speak EDI.",
    )
    edi_our_qualifier = fields.Char(
        string="Our qualifier", default="ZZ", help="ISA05 / UNB02.2: the kind of our identifier."
    )
    edi_our_id = fields.Char(string="Our identifier", help="ISA06 / UNB02.1.")
    edi_partner_qualifier = fields.Char(
        string="Partner qualifier", default="ZZ", help="ISA07 / UNB03.2."
    )
    edi_partner_id = fields.Char(string="Partner identifier", help="ISA08 / UNB03.1.")
    edi_our_application_id = fields.Char(
        string="Our application code", help="GS02 / UNG02: empty means our identifier."
    )
    edi_partner_application_id = fields.Char(
        string="Partner application code", help="GS03 / UNG03: empty means theirs."
    )
    edi_version = fields.Char(
        string="Version",
        default="004010",
        help="X12: 004010 or 005010 (GS08; ISA12 follows). EDIFACT: the syntax level and "
        "version of UNB01, such as UNOC:3.",
    )
    edi_element_separator = fields.Char(string="Element separator", size=1, default="*")
    edi_component_separator = fields.Char(string="Component separator", size=1, default=">")
    edi_repetition_separator = fields.Char(string="Repetition separator", size=1, default="^")
    edi_segment_terminator = fields.Char(string="Segment terminator", size=1, default="~")
    edi_segment_newline = fields.Boolean(
        string="Line break after each segment",
        default=True,
        help="Many partners' tools want one segment per line; the standard does not care.",
    )
    edi_strict_envelopes = fields.Boolean(
        string="Strict envelopes",
        help="Refuse an interchange whose control numbers or counts do not match. Lenient "
        "(the default) accepts it and records each discrepancy on the message, because real "
        "partners send mismatched counts.",
    )
    edi_ack_policy = fields.Selection(
        [
            ("none", "None"),
            ("997", "997 functional acknowledgement"),
            ("999", "999 implementation acknowledgement"),
            ("auto", "997 or 999, by the group's version"),
        ],
        string="Acknowledge what we receive",
        default="auto",
        help="EDIFACT partners get a CONTRL unless this is None.",
    )
    edi_ta1_on_errors = fields.Boolean(
        string="TA1 on interchange errors",
        help="Also answer an interchange whose envelope is wrong with a TA1.",
    )
    edi_expects_ack = fields.Boolean(
        string="Partner acknowledges",
        default=True,
        help="The partner answers our interchanges with a 997, 999, TA1 or CONTRL.",
    )
    edi_ack_deadline = fields.Integer(
        string="Acknowledgement deadline (minutes)",
        default=DEFAULT_ACK_DEADLINE,
        help="An interchange of ours without acknowledgement after this long goes to the "
        "workbench as acknowledgement overdue.",
    )
    edi_channel = fields.Selection(
        [("file", "File channel (folder or SFTP)"), ("https", "HTTPS POST to the endpoint")],
        string="Send through",
        default="file",
    )
    edi_file_pattern = fields.Char(
        string="File names",
        default="{standard}_{kind}_{control}_{date}.edi",
        help="Name of the files we write: {standard}, {kind} (transaction set or message "
        "type), {control} (interchange control number), {date} (YYYYMMDDHHMMSS), "
        "{backend} (backend code).",
    )
    edi_sequence_ids = fields.Many2many(
        "ir.sequence",
        "logistics_backend_edi_sequence_rel",
        string="Control number sequences",
        readonly=True,
        copy=False,
        groups=MANAGER_GROUP,
    )
    edi_route_ids = fields.One2many("logistics.edi.route", "backend_id", string="EDI flows")

    _edi_ack_deadline_positive = models.Constraint(
        "CHECK (edi_ack_deadline IS NULL OR edi_ack_deadline > 0)",
        "The acknowledgement deadline is a number of minutes above zero.",
    )

    @api.constrains(
        "edi_element_separator",
        "edi_component_separator",
        "edi_repetition_separator",
        "edi_segment_terminator",
    )
    def _check_edi_delimiters(self):
        for backend in self.filtered("edi_standard"):
            delimiters = backend._edi_delimiters()
            chosen = [value for value in delimiters.values() if value]
            if len(set(chosen)) != len(chosen):
                raise UserError(
                    self.env._(
                        "The EDI delimiters of %(backend)s must all differ: %(delimiters)s.",
                        backend=backend.name,
                        delimiters=" ".join(chosen),
                    )
                )
            if any(value.isalnum() or value == " " for value in chosen):
                raise UserError(
                    self.env._(
                        "EDI delimiters of %(backend)s cannot be letters, digits or spaces.",
                        backend=backend.name,
                    )
                )

    def _edi_delimiters(self):
        """The delimiters we write with, by name."""
        self.ensure_one()
        return {
            "element": self.edi_element_separator,
            "component": self.edi_component_separator,
            "repetition": self.edi_repetition_separator,
            "segment": self.edi_segment_terminator,
        }

    def _edi_write_settings(self):
        """What :mod:`logistics_adapters.formats.interchange` needs to write an interchange
        of ours to this partner: identifiers, version, delimiters, usage and where the
        control numbers come from."""
        self.ensure_one()
        return edi_io.WriteSettings(
            standard=self.edi_standard or "x12",
            sender=(self.edi_our_qualifier or "ZZ", self.edi_our_id or ""),
            receiver=(self.edi_partner_qualifier or "ZZ", self.edi_partner_id or ""),
            sender_application=self.edi_our_application_id or self.edi_our_id or "",
            receiver_application=self.edi_partner_application_id or self.edi_partner_id or "",
            version=self.edi_version or "",
            delimiters=self._edi_delimiters(),
            newline=self.edi_segment_newline,
            usage=self.edi_usage(),
            ack_requested=self.edi_expects_ack,
            next_control_number=self.edi_next_control_number,
        )

    def _edi_ack_settings(self):
        """How to acknowledge what this partner sends: the policy, then how we write."""
        self.ensure_one()
        return edi_io.AckSettings(
            policy=self.edi_ack_policy or "none",
            ta1_on_errors=self.edi_ta1_on_errors,
            strict=self.edi_strict_envelopes,
            write=self._edi_write_settings(),
        )

    def _edi_file_name(self, standard, kind, control):
        """The name of a file we send, from the backend's pattern."""
        self.ensure_one()
        pattern = self.edi_file_pattern or "{standard}_{kind}_{control}_{date}.edi"
        try:
            return pattern.format(
                standard=standard,
                kind=kind,
                control=control,
                date=fields.Datetime.now().strftime("%Y%m%d%H%M%S"),
                backend=self.code or self.id,
            )
        except (KeyError, IndexError, ValueError) as exc:
            raise UserError(
                self.env._(
                    "The EDI file name pattern of %(backend)s is wrong (%(error)s): use "
                    "{standard}, {kind}, {control}, {date} and {backend}.",
                    backend=self.name,
                    error=exc,
                )
            ) from None

    @api.private
    def edi_usage(self):
        """The usage indicator of this backend's interchanges: T on test, P on production."""
        self.ensure_one()
        return "P" if self.environment == "production" else "T"

    @api.private
    def edi_next_control_number(self, level):
        """The next control number of ``level`` (interchange, group or set) for this partner.

        Drawn from a PostgreSQL sequence of its own (``nextval``): never the same twice,
        even for processors sending at once, and never given back by a rollback.
        """
        self.ensure_one()
        if level not in CONTROL_LEVELS:
            raise ValueError(f"unknown control number level {level!r}")
        sequence = self._edi_sequence(level)
        number = int(sequence.next_by_id())
        if number > CONTROL_MAX:
            raise UserError(
                self.env._(
                    "The %(level)s control numbers of %(backend)s ran out (nine digits). "
                    "Agree a restart with the partner, then reset the sequence %(sequence)s.",
                    level=level,
                    backend=self.name,
                    sequence=sequence.name,
                )
            )
        return number

    def _edi_sequence(self, level):
        code = f"logistics.edi.{self.id}.{level}"
        sequences = self.sudo().edi_sequence_ids
        sequence = sequences.filtered(lambda seq: seq.code == code)
        if not sequence:
            self._edi_create_sequences()
            sequence = self.sudo().edi_sequence_ids.filtered(lambda seq: seq.code == code)
        return sequence

    def _edi_create_sequences(self):
        """Give each EDI backend its three control number sequences (standard, no gaps
        check: a PostgreSQL sequence, safe under concurrency)."""
        for backend in self.sudo().filtered("edi_standard"):
            self.env.cr.execute(
                "SELECT id FROM logistics_backend WHERE id = %s FOR UPDATE", [backend.id]
            )
            backend.invalidate_recordset(["edi_sequence_ids"])
            existing = set(backend.edi_sequence_ids.mapped("code"))
            vals_list = [
                {
                    "name": f"{backend.name}: EDI {level} control numbers",
                    "code": f"logistics.edi.{backend.id}.{level}",
                    "implementation": "standard",
                    "number_next": 1,
                    "number_increment": 1,
                    "company_id": backend.company_id.id,
                }
                for level in CONTROL_LEVELS
                if f"logistics.edi.{backend.id}.{level}" not in existing
            ]
            if vals_list:
                sequences = self.env["ir.sequence"].sudo().create(vals_list)
                backend.edi_sequence_ids = [fields.Command.link(seq.id) for seq in sequences]

    @api.model_create_multi
    def create(self, vals_list):
        backends = super().create(vals_list)
        backends._edi_create_sequences()
        return backends

    def write(self, vals):
        result = super().write(vals)
        if vals.get("edi_standard"):
            self._edi_create_sequences()
        return result

    def unlink(self):
        sequences = self.sudo().edi_sequence_ids
        result = super().unlink()
        sequences.unlink()  # a backend's control numbers end with it
        return result
