# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company import CompanyReport
from trytond.modules.company.model import CompanyValueMixin
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, Id, If
from trytond.transaction import Transaction

from .access import RecordAccessMixin
from .document import DocumentMixin
from .server_fields import ServerFieldsMixin


class Covenant(
        ServerFieldsMixin, RecordAccessMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.covenant'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    number = fields.Char(
        "Number", readonly=True,
        help="Assigned from the covenant sequence of the configuration.")
    name = fields.Char("Name", required=True, size=100, states=_states)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    rooms = fields.Many2Many(
        'buurtwerkkamer.covenant-buurtwerkkamer.room', 'covenant', 'room',
        "Rooms",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states=_states)
    partners = fields.One2Many(
        'buurtwerkkamer.covenant.partner', 'covenant', "Partners",
        states=_states)
    start_date = fields.Date("Start Date", required=True, states=_states)
    end_date = fields.Date(
        "End Date", required=True, states=_states,
        domain=[
            If(Bool(Eval('start_date')) & Bool(Eval('end_date')),
                ('end_date', '>', Eval('start_date')),
                ()),
            ])
    ambitions = fields.Text(
        "Ambitions", states=_states,
        help="What the parties want to achieve together "
        "and how they will invest in it for the long term.")
    signed_date = fields.Date(
        "Signing Date",
        states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('state').in_(['signed', 'active', 'ended']),
            })
    signatures = fields.One2Many(
        'buurtwerkkamer.covenant.signature', 'covenant', "Signatures",
        states={
            'readonly': Eval('state').in_(['ended', 'cancelled']),
            },
        help="Who signed the covenant on behalf of each party, "
        "with the signed document.")
    agreements = fields.One2Many(
        'buurtwerkkamer.agreement', 'covenant', "Yearly Agreements",
        readonly=True)
    ending_soon = fields.Function(
        fields.Boolean(
            "Ending Soon",
            help="The covenant is running and ends within the coming year."),
        'get_ending_soon', searcher='search_ending_soon')
    state = fields.Selection([
            ('draft', "Draft"),
            ('signed', "Signed"),
            ('active', "Active"),
            ('ended', "Ended"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('start_date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'signed'),
            ('signed', 'active'),
            ('active', 'ended'),
            ('draft', 'cancelled'),
            ('signed', 'cancelled'),
            ('active', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'sign': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'activate': {
                    'invisible': Eval('state') != 'signed',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'end': {
                    'invisible': Eval('state') != 'active',
                    'icon': 'tryton-close',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'signed', 'active']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('number', operator, operand, *extra),
            ('name', operator, operand, *extra),
            ]

    @classmethod
    def _ending_soon_limit(cls):
        "Return the last end date that counts as ending soon"
        today = Pool().get('ir.date').today()
        try:
            return today.replace(year=today.year + 1)
        except ValueError:
            # 29 February
            return today + dt.timedelta(days=365)

    def get_ending_soon(self, name):
        return (self.state in {'signed', 'active'}
            and self.end_date <= self._ending_soon_limit())

    @classmethod
    def search_ending_soon(cls, name, clause):
        _, operator, value = clause
        limit = cls._ending_soon_limit()
        if (operator == '=') == bool(value):
            return [
                ('state', 'in', ['signed', 'active']),
                ('end_date', '<=', limit),
                ]
        else:
            return ['OR',
                ('state', 'not in', ['signed', 'active']),
                ('end_date', '>', limit),
                ]

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('number'):
            company_id = values.get('company', cls.default_company())
            if company_id is not None:
                configuration = Configuration(1)
                sequence = configuration.get_multivalue(
                    'covenant_sequence', company=company_id)
                if sequence:
                    values['number'] = sequence.get()
        return values

    @classmethod
    def copy(cls, covenants, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number', None)
        default.setdefault('signed_date', None)
        default.setdefault('signatures', None)
        default.setdefault('agreements', None)
        return super().copy(covenants, default=default)

    @classmethod
    def check_modification(cls, mode, covenants, values=None, external=False):
        super().check_modification(
            mode, covenants, values=values, external=external)
        if mode == 'delete':
            for covenant in covenants:
                if covenant.state not in {'draft', 'cancelled'}:
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_covenant_delete_draft',
                            covenant=covenant.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('signed')
    def sign(cls, covenants):
        pool = Pool()
        Date = pool.get('ir.date')
        for covenant in covenants:
            if not covenant.rooms or not covenant.partners:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_covenant_sign_incomplete',
                        covenant=covenant.rec_name))
        cls.write([c for c in covenants if not c.signed_date], {
                'signed_date': Date.today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def activate(cls, covenants):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('ended')
    def end(cls, covenants):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, covenants):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, covenants):
        cls.write(list(covenants), {'signed_date': None})


class CovenantRoom(RecordAccessMixin, ModelSQL):
    __name__ = 'buurtwerkkamer.covenant-buurtwerkkamer.room'
    covenant = fields.Many2One(
        'buurtwerkkamer.covenant', "Covenant", required=True,
        ondelete='CASCADE')
    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", required=True, ondelete='CASCADE')


class CovenantPartner(RecordAccessMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.covenant.partner'

    covenant = fields.Many2One(
        'buurtwerkkamer.covenant', "Covenant", required=True,
        ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='RESTRICT')
    role = fields.Selection([
            ('funder', "Funder"),
            ('partner', "Partner"),
            ], "Role", required=True)
    yearly_commitment = Monetary(
        "Yearly Commitment", currency='currency', digits='currency',
        domain=[
            If(Bool(Eval('yearly_commitment')),
                ('yearly_commitment', '>=', 0),
                ()),
            ],
        help="What the partner commits to contribute every year.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('covenant')

    @staticmethod
    def default_role():
        return 'funder'

    @fields.depends('covenant', '_parent_covenant.company')
    def on_change_with_currency(self, name=None):
        if self.covenant and self.covenant.company:
            return self.covenant.company.currency

    def get_rec_name(self, name):
        return self.party.rec_name


class CovenantSignature(
        ServerFieldsMixin, RecordAccessMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.covenant.signature'

    covenant = fields.Many2One(
        'buurtwerkkamer.covenant', "Covenant", required=True,
        ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='RESTRICT',
        help="The organisation on whose behalf is signed.")
    signatory = fields.Char(
        "Signatory", required=True,
        help="The name of the person who signed.")
    function = fields.Char("Function")
    date = fields.Date("Date", required=True)
    document = fields.Binary(
        "Signed Document", filename='document_name',
        file_id='document_id')
    document_name = fields.Char("Document Name")
    document_id = fields.Char("Document ID", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('covenant')
        cls._order = [
            ('date', 'ASC'),
            ('id', 'ASC'),
            ]

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return '%s (%s)' % (self.signatory, self.party.rec_name)


class Configuration(metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.configuration'

    covenant_sequence = fields.MultiValue(fields.Many2One(
            'ir.sequence', "Covenant Sequence", required=True,
            domain=[
                ('company', 'in',
                    [Eval('context', {}).get('company', -1), None]),
                ('sequence_type', '=',
                    Id('buurtwerkkamer', 'sequence_type_covenant')),
                ]))
    agreement_account = fields.MultiValue(fields.Many2One(
            'account.account', "Agreement Revenue Account",
            domain=[
                ('closed', '!=', True),
                ('type.revenue', '=', True),
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The revenue account credited by the instalment invoices "
            "of the yearly agreements."))
    agreement_deadline_notice = fields.Integer(
        "Agreement Deadline Notice",
        domain=[
            If(Bool(Eval('agreement_deadline_notice')),
                ('agreement_deadline_notice', '>=', 0),
                ()),
            ],
        help="How many days before its signing deadline an unsigned "
        "yearly agreement is listed as due.")

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field in {'covenant_sequence', 'agreement_account'}:
            return pool.get('buurtwerkkamer.configuration.brokering')
        return super().multivalue_model(field)

    @classmethod
    def default_covenant_sequence(cls, **pattern):
        return cls.multivalue_model(
            'covenant_sequence').default_covenant_sequence()

    @classmethod
    def default_agreement_deadline_notice(cls):
        return 60


class ConfigurationBrokering(RecordAccessMixin, ModelSQL, CompanyValueMixin):
    __name__ = 'buurtwerkkamer.configuration.brokering'

    covenant_sequence = fields.Many2One(
        'ir.sequence', "Covenant Sequence", required=True,
        domain=[
            ('company', 'in', [Eval('company', -1), None]),
            ('sequence_type', '=',
                Id('buurtwerkkamer', 'sequence_type_covenant')),
            ])
    agreement_account = fields.Many2One(
        'account.account', "Agreement Revenue Account",
        domain=[
            ('closed', '!=', True),
            ('type.revenue', '=', True),
            ('company', '=', Eval('company', -1)),
            ])

    @classmethod
    def default_covenant_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('buurtwerkkamer', 'sequence_covenant')
        except KeyError:
            return None


class Room(metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.room'

    covenants = fields.Many2Many(
        'buurtwerkkamer.covenant-buurtwerkkamer.room', 'room', 'covenant',
        "Covenants", readonly=True)
    agreements = fields.One2Many(
        'buurtwerkkamer.agreement', 'room', "Yearly Agreements",
        readonly=True)

    @classmethod
    def copy(cls, rooms, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('covenants', None)
        default.setdefault('agreements', None)
        return super().copy(rooms, default=default)


class IntentReport(DocumentMixin, CompanyReport):
    __name__ = 'buurtwerkkamer.intent'

    @classmethod
    def get_signatories(cls, intent):
        signed = intent.state == 'signed' and intent.date
        return [
            cls.signatory(
                intent.partner, name=intent.signatory,
                function=intent.signatory_function, date=intent.date,
                signed=signed),
            cls.company_signatory(intent.company),
            ]


class CovenantReport(DocumentMixin, CompanyReport):
    __name__ = 'buurtwerkkamer.covenant'

    @classmethod
    def get_signatories(cls, covenant):
        """Return a block per signature, and one to sign on for each partner
        and the cooperative that has not signed yet"""
        company_party = covenant.company.party if covenant.company else None
        parties = [l.party for l in covenant.partners]
        parties += [s.party for s in covenant.signatures]
        if company_party:
            parties.append(company_party)
        signatures = defaultdict(list)
        for signature in covenant.signatures:
            signatures[signature.party].append(signature)
        signatories = []
        for party in dict.fromkeys(parties):
            for signature in signatures[party]:
                signatories.append(cls.signatory(
                        party, name=signature.signatory,
                        function=signature.function, date=signature.date,
                        signed=True))
            if not signatures[party]:
                signatories.append(cls.signatory(party))
        return signatories
