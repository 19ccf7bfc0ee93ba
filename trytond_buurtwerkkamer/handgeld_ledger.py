# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The handgeld in the ledger: the room of the lines of the handgeld account,
the settlement of the float of a holder and the count of the kascommissie"""
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, dualmethod, fields)
from trytond.model.exceptions import AccessError
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .access import RecordAccessMixin
from .server_fields import ServerFieldsMixin


def handgeld_accounts(companies):
    "Return the handgeld account of each company"
    pool = Pool()
    Configuration = pool.get('buurtwerkkamer.configuration')
    config = Configuration(1)
    return {c: config.get_multivalue('handgeld_account', company=c.id)
        for c in companies}


class MoveLine(metaclass=PoolMeta):
    __name__ = 'account.move.line'

    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'readonly': Eval('move_state') == 'posted',
            },
        help="The room whose handgeld the line is: each room's float has "
        "its own balance per holder on the handgeld account.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.room, Index.Range()), where=t.room != None))  # noqa


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'buurtwerkkamer.room', 'buurtwerkkamer.handgeld.count']

    @dualmethod
    @ModelView.button
    def post(cls, moves):
        cls.check_handgeld_room(moves)
        super().post(moves)

    @classmethod
    def check_handgeld_room(cls, moves):
        "Refuse a line of the handgeld account without room"
        accounts = handgeld_accounts({m.company for m in moves})
        for move in moves:
            account = accounts.get(move.company)
            if not account:
                continue
            for line in move.lines:
                if line.account == account and not line.room:
                    raise UserError(gettext(
                            'buurtwerkkamer.msg_handgeld_line_no_room',
                            move=move.rec_name,
                            account=account.rec_name))


class SettleStart(ModelView):
    __name__ = 'buurtwerkkamer.handgeld.settle.start'

    room = fields.Many2One('buurtwerkkamer.room', "Room", readonly=True)
    company = fields.Many2One('company.company', "Company", readonly=True)
    date = fields.Date("Date", required=True)
    lines = fields.One2Many(
        'buurtwerkkamer.handgeld.settle.line', None, "Holders",
        help="The holders of the room's handgeld and how each settles it.")


class SettleLine(ModelView):
    __name__ = 'buurtwerkkamer.handgeld.settle.line'

    holder = fields.Many2One('party.party', "Holder", readonly=True)
    currency = fields.Many2One('currency.currency', "Currency", readonly=True)
    amount = Monetary(
        "Amount", currency='currency', digits='currency', readonly=True,
        help="The posted balance of the holder for the room.")
    method = fields.Selection([
            (None, ""),
            ('return', "Returned to the Bank"),
            ('transfer', "Transferred to the New Holder"),
            ], "Settlement",
        help="Returned: the holder pays the handgeld back to the "
        "cooperative's bank account.\n"
        "Transferred: the new holder takes the handgeld over.")
    new_holder = fields.Many2One(
        'party.party', "New Holder",
        domain=[
            ('id', '!=', Eval('holder', -1)),
            ],
        states={
            'invisible': Eval('method') != 'transfer',
            'required': Eval('method') == 'transfer',
            })


class Settle(Wizard):
    "Settle the handgeld of the holders of a room"
    __name__ = 'buurtwerkkamer.handgeld.settle'

    start = StateView(
        'buurtwerkkamer.handgeld.settle.start',
        'buurtwerkkamer.handgeld_settle_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Settle", 'settle', 'tryton-ok', default=True),
            ])
    settle = StateTransition()

    def default_start(self, fields):
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        Date = pool.get('ir.date')
        room = self.record
        with Transaction().set_context(company=room.company.id):
            today = Date.today()
        holder = room.team_leader.party if room.team_leader else None
        lines = []
        for party_id, (ledger, unposted) in sorted(
                Room.handgeld_floats([room])[room.id].items()):
            if party_id is None:
                continue
            if holder and party_id != holder.id and room.state != 'closed':
                method, new_holder = 'transfer', holder.id
            else:
                method, new_holder = 'return', None
            lines.append({
                    'holder': party_id,
                    'currency': room.company.currency.id,
                    'amount': room.company.currency.round(ledger),
                    'method': method,
                    'new_holder': new_holder,
                    })
        return {
            'room': room.id,
            'company': room.company.id,
            'date': today,
            'lines': lines,
            }

    def transition_settle(self):
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        AccountPeriod = pool.get('account.period')
        Room = pool.get('buurtwerkkamer.room')
        Lang = pool.get('ir.lang')

        room = self.record
        company = room.company
        date = self.start.date
        config = Configuration(1)
        floats = Room.handgeld_floats([room])[room.id]
        account = config.get_multivalue('handgeld_account', company=company.id)
        lang = Lang.get()
        lines = []
        for settle_line in self.start.lines or []:
            if not settle_line.method:
                continue
            holder = settle_line.holder
            ledger, unposted = floats.get(holder.id, (Decimal(0), Decimal(0)))
            if unposted:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_handgeld_settle_unposted',
                        room=room.rec_name,
                        holder=holder.rec_name,
                        amount=lang.currency(unposted, company.currency)))
            if not ledger:
                continue
            debit, credit = (
                (Decimal(0), ledger) if ledger > 0
                else (-ledger, Decimal(0)))
            lines.append(Line(
                    account=account, party=holder, room=room,
                    debit=debit, credit=credit))
            if settle_line.method == 'transfer':
                new_holder = settle_line.new_holder
                if not new_holder or new_holder == holder:
                    raise UserError(gettext(
                            'buurtwerkkamer.msg_handgeld_settle_new_holder',
                            room=room.rec_name, holder=holder.rec_name))
                lines.append(Line(
                        account=account, party=new_holder, room=room,
                        debit=credit, credit=debit))
            else:
                other = config.get_multivalue(
                    'handgeld_return_account', company=company.id)
                if not other:
                    raise UserError(gettext(
                            'buurtwerkkamer.msg_handgeld_no_configuration',
                            company=company.rec_name,
                            field=Configuration.handgeld_return_account
                            .string))
                line = Line(account=other, debit=credit, credit=debit)
                if other.party_required:
                    line.party = holder
                if other == account:
                    line.room = room
                lines.append(line)
        if lines:
            journal = config.get_multivalue(
                'handgeld_journal', company=company.id)
            if not journal or not account:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_handgeld_no_configuration',
                        company=company.rec_name,
                        field=Configuration.handgeld_journal.string))
            move = Move(
                company=company,
                journal=journal,
                period=AccountPeriod.find(company, date=date),
                date=date,
                origin=room,
                description=gettext(
                    'buurtwerkkamer.msg_handgeld_settle_move_description',
                    room=room.rec_name),
                lines=lines)
            move.save()
            Move.post([move])
        return 'end'


class Count(
        ServerFieldsMixin, RecordAccessMixin, Workflow, ModelSQL, ModelView):
    "Count of the handgeld of a room's holder by the kascommissie"
    __name__ = 'buurtwerkkamer.handgeld.count'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states=_states)
    holder = fields.Many2One(
        'party.party', "Holder", required=True, ondelete='RESTRICT',
        states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The team leader who holds the handgeld of the room.")
    date = fields.Date("Date", required=True, states=_states)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    ledger_balance = fields.Function(Monetary(
            "Ledger Balance", currency='currency', digits='currency',
            help="The posted entries of the handgeld account of the room "
            "and holder up to the date."),
        'get_amounts')
    unposted = fields.Function(Monetary(
            "Expenses Not Posted", currency='currency', digits='currency',
            help="The expenses of the room and holder up to the date whose "
            "month is not posted."),
        'get_amounts')
    expected = fields.Function(Monetary(
            "Expected Balance", currency='currency', digits='currency',
            help="What the business account should hold: the ledger balance "
            "minus the expenses not posted."),
        'get_amounts')
    bank_balance = Monetary(
        "Bank Balance", currency='currency', digits='currency',
        required=True, states=_states,
        help="The balance of the team leader's business account at the "
        "count.")
    difference = fields.Function(Monetary(
            "Difference", currency='currency', digits='currency',
            help="The bank balance minus the expected balance: negative is "
            "a shortage, positive a surplus."),
        'get_amounts')
    findings = fields.Text("Findings", states=_states)
    move = fields.Many2One(
        'account.move', "Move", readonly=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="The entry of the difference.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('booked', "Booked"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC'),
            ('room', 'ASC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'booked'),
            }
        cls._buttons.update({
                'book': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('room', 'holder')
    def on_change_room(self):
        if self.room and self.room.team_leader:
            self.holder = self.room.team_leader.party

    def get_rec_name(self, name):
        return '%s %s %s' % (
            self.room.rec_name, self.holder.rec_name,
            self.date.isoformat())

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('room.rec_name', operator, operand, *extra),
            ('holder.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def get_amounts(cls, counts, names):
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        result = {n: {} for n in names}
        # Team leaders see the figures of their room without the ledger
        with without_check_access():
            movements = Period.float_movements({c.room for c in counts})
        for count in counts:
            currency = count.company.currency
            ledger, unposted = Period.float_at(
                movements.get((count.room.id, count.holder.id), []),
                count.date)
            expected = ledger - unposted
            values = {
                'ledger_balance': ledger,
                'unposted': unposted,
                'expected': expected,
                'difference': (count.bank_balance or 0) - expected,
                }
            for name in names:
                result[name][count.id] = currency.round(values[name])
        return result

    @classmethod
    def check_modification(cls, mode, counts, values=None, external=False):
        super().check_modification(
            mode, counts, values=values, external=external)
        if mode in {'write', 'delete'} and external:
            for count in counts:
                if count.state != 'draft':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_handgeld_count_modify',
                            count=count.rec_name))

    @classmethod
    def copy(cls, counts, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('move', None)
        default.setdefault('state', 'draft')
        return super().copy(counts, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('booked')
    def book(cls, counts):
        "Book the difference of the counts on the handgeld account"
        pool = Pool()
        Move = pool.get('account.move')
        moves, to_link = [], []
        for count in counts:
            move = count.get_move()
            if move:
                moves.append(move)
                to_link.append(count)
        Move.save(moves)
        Move.post(moves)
        for count, move in zip(to_link, moves):
            count.move = move
        cls.save(to_link)

    def get_move(self):
        "Return the entry that brings the ledger to the counted balance"
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        AccountPeriod = pool.get('account.period')
        difference = self.difference
        if not difference:
            return
        config = Configuration(1)
        company = self.company
        names = {}
        for name in [
                'handgeld_journal', 'handgeld_account',
                'handgeld_difference_account']:
            names[name] = config.get_multivalue(name, company=company.id)
            if not names[name]:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_handgeld_no_configuration',
                        company=company.rec_name,
                        field=getattr(Configuration, name).string))
        if difference > 0:
            debit, credit = difference, Decimal(0)
        else:
            debit, credit = Decimal(0), -difference
        other = Line(
            account=names['handgeld_difference_account'],
            debit=credit, credit=debit)
        if other.account.party_required:
            other.party = self.holder
        if other.account == names['handgeld_account']:
            other.room = self.room
        return Move(
            company=company,
            journal=names['handgeld_journal'],
            period=AccountPeriod.find(company, date=self.date),
            date=self.date,
            origin=self,
            description=gettext(
                'buurtwerkkamer.msg_handgeld_count_move_description',
                count=self.rec_name),
            lines=[
                Line(
                    account=names['handgeld_account'],
                    party=self.holder, room=self.room,
                    debit=debit, credit=credit),
                other,
                ])
