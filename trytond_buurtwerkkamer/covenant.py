# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .exceptions import CovenantValidationError


class Covenant(Workflow, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.covenant'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    name = fields.Char("Name", required=True, states=_states)
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
    def check_modification(cls, mode, covenants, values=None, external=False):
        super().check_modification(
            mode, covenants, values=values, external=external)
        if mode == 'delete':
            for covenant in covenants:
                if covenant.state not in {'draft', 'cancelled'}:
                    raise CovenantValidationError(gettext(
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
                raise CovenantValidationError(gettext(
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


class CovenantRoom(ModelSQL):
    __name__ = 'buurtwerkkamer.covenant-buurtwerkkamer.room'
    covenant = fields.Many2One(
        'buurtwerkkamer.covenant', "Covenant", required=True,
        ondelete='CASCADE')
    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", required=True, ondelete='CASCADE')


class CovenantPartner(ModelSQL, ModelView):
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
