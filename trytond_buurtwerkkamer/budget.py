# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from sql.aggregate import Sum
from sql.conditionals import Coalesce

from trytond.model import Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction


class Budget(metaclass=PoolMeta):
    __name__ = 'account.budget'

    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'readonly': Eval('room') & Eval('lines', [-1]),
            },
        help="Only the room's bookings count as actual amounts.\n"
        "Leave empty for a budget of the whole company.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('room_fiscalyear_unique',
                Unique(t, t.room, t.fiscalyear),
                'buurtwerkkamer.msg_budget_room_fiscalyear_unique'),
            ]

    def get_rec_name(self, name):
        name = super().get_rec_name(name)
        if self.room:
            name = '%s - %s' % (self.room.rec_name, name)
        return name


class BudgetLine(metaclass=PoolMeta):
    __name__ = 'account.budget.line'

    @classmethod
    def _get_amount_group_key(cls, record):
        room = record.budget.room
        return super()._get_amount_group_key(record) + (
            ('analytic_account',
                room.analytic_account.id
                if room and room.analytic_account else None),)

    @classmethod
    def _get_amount_query(cls, records, context):
        pool = Pool()
        Line = pool.get('account.move.line')
        AnalyticLine = pool.get('analytic_account.line')
        Period = pool.get('account.period')

        analytic_account = context.get('analytic_account')
        if not analytic_account:
            return super()._get_amount_query(records, context)

        table = cls.__table__()
        children = cls.__table__()
        line = Line.__table__()
        analytic_line = AnalyticLine.__table__()

        # Only the part of a booking that carries the room's analytic
        # account is actual for the room.
        amount = Sum(
            Coalesce(analytic_line.credit, 0)
            - Coalesce(analytic_line.debit, 0))
        red_sql = fields.SQL_OPERATORS['in'](table.id, [r.id for r in records])
        periods = Transaction().context.get('periods')
        if not periods:
            periods = [p.id for p in Period.search([
                        ('fiscalyear', '=', context.get('fiscalyear')),
                        ('type', '=', 'standard'),
                        ])]
        with Transaction().set_context(
                fiscalyear=context.get('fiscalyear'), periods=periods):
            query_where, _ = Line.query_get(line)
        return (table
            .join(
                children,
                condition=(children.left >= table.left)
                & (children.right <= table.right))
            .join(
                line,
                condition=line.account == children.account)
            .join(
                analytic_line,
                condition=(analytic_line.move_line == line.id)
                & (analytic_line.account == analytic_account))
            .select(
                table.id, amount.as_('amount'),
                where=red_sql & query_where,
                group_by=table.id))
