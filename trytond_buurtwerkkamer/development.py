# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from decimal import Decimal

from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.modules.company import CompanyReport
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If

from .access import RecordAccessMixin
from .document import DocumentMixin
from .meeting import RoomMixin


class LearningPlan(RecordAccessMixin, RoomMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.learning_plan'

    year = fields.Integer(
        "Year", required=True,
        domain=[
            ('year', '>=', 2000),
            ])
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    experiences = fields.Text(
        "Learning Experiences",
        help="What the room learned in the past year.")
    results = fields.Text(
        "Learning Results",
        help="What the room can do now that it could not do before.")
    goals = fields.Text(
        "Learning Goals",
        help="What the room wants to learn in the near future.")
    trainings = fields.One2Many(
        'buurtwerkkamer.training', 'plan', "Trainings")
    total_cost = fields.Function(
        Monetary("Total Cost", currency='currency', digits='currency'),
        'get_total_cost')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('room_year_unique', Unique(t, t.room, t.year),
                'buurtwerkkamer.msg_learning_plan_unique'),
            ]
        cls._order = [
            ('year', 'DESC'),
            ('room', 'ASC'),
            ('id', 'ASC'),
            ]

    @staticmethod
    def default_year():
        return Pool().get('ir.date').today().year

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_rec_name(self, name):
        return '%s %s' % (self.room.rec_name, self.year)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('room.rec_name', *clause[1:])]

    @classmethod
    def get_total_cost(cls, plans, name):
        # trainings are read in bulk by the instance cache of the records
        return {
            p.id: p.currency.round(
                sum((t.cost or Decimal(0) for t in p.trainings), Decimal(0)))
            for p in plans}

    @classmethod
    def copy(cls, plans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('year', lambda data: data['year'] + 1)
        default.setdefault('experiences', None)
        default.setdefault('results', None)
        return super().copy(plans, default=default)


class Training(RecordAccessMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.training'

    plan = fields.Many2One(
        'buurtwerkkamer.learning_plan', "Learning Plan", required=True,
        ondelete='CASCADE')
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    name = fields.Char("Name", required=True, size=100)
    provider = fields.Many2One(
        'party.party', "Provider", ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    date = fields.Date("Date")
    participants = fields.Many2Many(
        'buurtwerkkamer.training-party.party', 'training', 'party',
        "Participants",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The active residents and volunteers who follow the training.")
    cost = Monetary(
        "Cost", currency='currency', digits='currency',
        domain=[
            If(Bool(Eval('cost')), ('cost', '>=', 0), ()),
            ])
    done = fields.Boolean("Done")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('plan')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.plan, Index.Range())))
        cls._order = [
            ('date', 'ASC NULLS LAST'),
            ('id', 'ASC'),
            ]

    @staticmethod
    def default_done():
        return False

    @fields.depends('plan', '_parent_plan.company')
    def on_change_with_company(self, name=None):
        return self.plan.company if self.plan else None

    @fields.depends('plan', '_parent_plan.company')
    def on_change_with_currency(self, name=None):
        if self.plan and self.plan.company:
            return self.plan.company.currency


class TrainingParty(RecordAccessMixin, ModelSQL):
    __name__ = 'buurtwerkkamer.training-party.party'
    training = fields.Many2One(
        'buurtwerkkamer.training', "Training", required=True,
        ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='CASCADE')


class Evaluation(RecordAccessMixin, RoomMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.evaluation'

    date = fields.Date("Date", required=True)
    theme = fields.Char(
        "Theme", required=True,
        help="The theme or subject of the work that is evaluated.")
    evaluator = fields.Many2One(
        'party.party', "Evaluator", required=True, ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The third party who carries out the evaluation.")
    meeting = fields.Many2One(
        'buurtwerkkamer.meeting', "Meeting", ondelete='SET NULL',
        domain=[
            ('room', '=', Eval('room', -1)),
            ],
        help="The meeting in which the evaluation was discussed.")
    findings = fields.Text("Findings")
    report = fields.Binary(
        "Report", filename='report_name',
        help="The evaluation report of the evaluator.")
    report_name = fields.Char(
        "Report Name",
        states={
            'invisible': ~Eval('report'),
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return '%s: %s' % (self.room.code, self.theme)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('theme', operator, operand, *extra),
            ('room.rec_name', operator, operand, *extra),
            ]


class LearningPlanReport(DocumentMixin, CompanyReport):
    __name__ = 'buurtwerkkamer.learning_plan'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Date = pool.get('ir.date')
        context = super().get_context(records, header, data)
        context['today'] = Date.today()
        return context
