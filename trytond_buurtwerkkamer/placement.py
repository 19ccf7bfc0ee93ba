# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt

from dateutil.relativedelta import relativedelta
from sql import Column, Null
from sql.aggregate import Max
from sql.conditionals import Coalesce

from trytond.backend import MAX_QUERY_PARAMS
from trytond.exceptions import UserError
from trytond.filestore import filestore
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, fields)
from trytond.model.exceptions import AccessError
from trytond.modules.company.model import CompanyValueMixin
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, Id, If
from trytond.report import Report
from trytond.tools import grouped_slice
from trytond.transaction import (
    Transaction, inactive_records, without_check_access)
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .access import RecordAccessMixin
from .document import DocumentMixin
from .server_fields import ServerFieldsMixin

PLACEMENT_KINDS = [
    ('perspectiefbaan', "Perspective Job"),
    ('participatieplaats', "Participation Place"),
    ('werkervaringsplaats', "Work Experience Place"),
    ]
CONTRACT_KINDS = [
    (None, ""),
    ('arbeidscontract', "Employment Contract"),
    ('participatieovereenkomst', "Participation Agreement"),
    ('werkervaringsovereenkomst', "Work Experience Agreement"),
    ]
# The contract that goes with each kind of placement
KIND2CONTRACT = {
    'perspectiefbaan': 'arbeidscontract',
    'participatieplaats': 'participatieovereenkomst',
    'werkervaringsplaats': 'werkervaringsovereenkomst',
    }
# Fields that hold personal data of the candidate, cleared by the
# anonymisation
PERSONAL_FIELDS = [
    'candidate', 'referrer', 'motivation', 'notes', 'reason',
    'contract_document', 'contract_document_name',
    ]


class Configuration(metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.configuration'

    placement_sequence = fields.MultiValue(fields.Many2One(
            'ir.sequence', "Placement Sequence", required=True,
            domain=[
                ('company', 'in',
                    [Eval('context', {}).get('company', -1), None]),
                ('sequence_type', '=',
                    Id('buurtwerkkamer', 'sequence_type_placement')),
                ]))
    placement_anonymise_years = fields.MultiValue(fields.Integer(
            "Anonymise Placements After", required=True,
            domain=[('placement_anonymise_years', '>=', 0)],
            help="The number of years after the end of a placement "
            "after which its personal data is anonymised."))

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field in {'placement_sequence', 'placement_anonymise_years'}:
            return pool.get('buurtwerkkamer.configuration.placement')
        return super().multivalue_model(field)

    @classmethod
    def default_placement_sequence(cls, **pattern):
        return cls.multivalue_model(
            'placement_sequence').default_placement_sequence()

    @classmethod
    def default_placement_anonymise_years(cls, **pattern):
        return cls.multivalue_model(
            'placement_anonymise_years').default_placement_anonymise_years()


class ConfigurationPlacement(RecordAccessMixin, ModelSQL, CompanyValueMixin):
    __name__ = 'buurtwerkkamer.configuration.placement'

    placement_sequence = fields.Many2One(
        'ir.sequence', "Placement Sequence", required=True,
        domain=[
            ('company', 'in', [Eval('company', -1), None]),
            ('sequence_type', '=',
                Id('buurtwerkkamer', 'sequence_type_placement')),
            ])
    placement_anonymise_years = fields.Integer(
        "Anonymise Placements After", required=True,
        domain=[('placement_anonymise_years', '>=', 0)])

    @classmethod
    def default_placement_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('buurtwerkkamer', 'sequence_placement')
        except KeyError:
            return None

    @classmethod
    def default_placement_anonymise_years(cls):
        return 2


class Placement(
        ServerFieldsMixin, RecordAccessMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.placement'
    _history = True
    _rec_name = 'number'

    _states = {
        'readonly': ~Eval('state').in_(['candidate', 'interview']),
        }
    _contract_states = {
        'readonly': ~Eval('state').in_(['candidate', 'interview', 'selected']),
        }

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': (Eval('state') != 'candidate') | Eval('room'),
            })
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    name = fields.Function(
        fields.Char("Name"), 'get_name')
    kind = fields.Selection(
        PLACEMENT_KINDS, "Kind", required=True, states=_states)
    kind_string = kind.translated('kind')
    room = fields.Many2One(
        'buurtwerkkamer.room', "Room", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states=_states)
    candidate = fields.Many2One(
        'party.party', "Candidate", ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        states={
            'readonly': _states['readonly'],
            'required': ~Eval('anonymised', False),
            },
        depends={'company'})
    source = fields.Selection([
            (None, ""),
            ('benefits_agency', "Benefits Agency"),
            ('municipality', "Municipality"),
            ('room', "From the Room"),
            ('partner', "Partner Organisation"),
            ('self', "Own Application"),
            ], "Source",
        states=_states,
        help="How the candidate came to the cooperative.")
    distance = fields.Selection([
            (None, ""),
            ('small', "Small"),
            ('medium', "Medium"),
            ('large', "Large"),
            ('very_large', "Very Large"),
            ], "Distance to Labour Market", sort=False, states=_states)
    referrer = fields.Many2One(
        'party.party', "Referrer", ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'}, states=_states,
        help="The person or organisation who referred the candidate.")
    benefits_agency = fields.Many2One(
        'party.party', "Benefits Agency", ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        states={
            'readonly': Eval('state').in_(['ended', 'rejected', 'withdrawn']),
            },
        help="The social service of the municipality or the UWV "
        "that pays the candidate's benefit.")
    agency_contact = fields.Char(
        "Agency Contact",
        states={
            'readonly': Eval('state').in_(['ended', 'rejected', 'withdrawn']),
            },
        help="The contact person at the benefits agency.")
    supervisor = fields.Many2One(
        'company.employee', "Supervisor", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'readonly': Eval('state').in_(['ended', 'rejected', 'withdrawn']),
            'required': Eval('state').in_(['contracted', 'active']),
            })
    motivation = fields.Text("Motivation", states=_states)
    notes = fields.Text("Notes")
    interviews = fields.One2Many(
        'buurtwerkkamer.placement.interview', 'placement', "Interviews",
        states={
            'readonly': ~Eval('state').in_(['candidate', 'interview']),
            })

    contract_kind = fields.Selection(
        CONTRACT_KINDS, "Contract Kind",
        states={
            'readonly': _contract_states['readonly'],
            'required': Eval('state').in_(['contracted', 'active', 'ended']),
            })
    contract_kind_string = contract_kind.translated('contract_kind')
    start_date = fields.Date(
        "Start Date",
        states={
            'readonly': _contract_states['readonly'],
            'required': Eval('state').in_(['contracted', 'active', 'ended']),
            })
    end_date = fields.Date(
        "End Date",
        domain=[
            If(Bool(Eval('start_date')) & Bool(Eval('end_date')),
                ('end_date', '>=', Eval('start_date')),
                ()),
            ],
        states={
            'readonly': Eval('state').in_(['ended', 'rejected', 'withdrawn']),
            'required': Eval('state') == 'ended',
            })
    trial_end_date = fields.Date(
        "Trial Period End",
        domain=[
            If(Bool(Eval('start_date')) & Bool(Eval('trial_end_date')),
                ('trial_end_date', '>=', Eval('start_date')),
                ()),
            ],
        states=_contract_states)
    hours = fields.Numeric(
        "Hours per Week", digits=(4, 2),
        domain=[
            If(Bool(Eval('hours')),
                [('hours', '>', 0), ('hours', '<=', 40)],
                []),
            ],
        states={
            'readonly': _contract_states['readonly'],
            'required': Eval('state').in_(['contracted', 'active', 'ended']),
            })
    compensation = Monetary(
        "Monthly Compensation", currency='currency', digits='currency',
        domain=[
            If(Bool(Eval('compensation')),
                ('compensation', '>=', 0),
                ()),
            ],
        states=_contract_states,
        help="The wage or allowance per month paid by the cooperative.")
    contract_signed_date = fields.Date(
        "Contract Signed On",
        states={
            'readonly': Eval('state') != 'contracted',
            })
    contract_document = fields.Binary(
        "Signed Contract", filename='contract_document_name',
        states={
            'readonly': Eval('state') != 'contracted',
            })
    contract_document_name = fields.Char(
        "Signed Contract Name",
        states={
            'readonly': Eval('state') != 'contracted',
            })
    reviews = fields.One2Many(
        'buurtwerkkamer.placement.review', 'placement', "Reviews",
        states={
            'readonly': ~Eval('state').in_(['contracted', 'active']),
            })
    next_review_date = fields.Function(
        fields.Date(
            "Next Review",
            help="The next review planned, or the end of the trial period "
            "when no review has been held yet."),
        'get_next_review_date', searcher='search_next_review_date')
    signals = fields.One2Many(
        'buurtwerkkamer.placement.signal', 'placement', "Signals",
        states={
            'readonly': ~Eval('state').in_(['contracted', 'active']),
            })
    reason = fields.Text(
        "Reason",
        states={
            'readonly': Eval('state').in_(['ended', 'rejected', 'withdrawn']),
            },
        help="Why the placement was rejected, withdrawn or ended.")
    anonymised = fields.Boolean("Anonymised", readonly=True)
    state = fields.Selection([
            ('candidate', "Candidate"),
            ('interview', "Interview"),
            ('selected', "Selected"),
            ('contracted', "Contracted"),
            ('active', "Active"),
            ('ended', "Ended"),
            ('rejected', "Rejected"),
            ('withdrawn', "Withdrawn"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    del _states, _contract_states

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.number, Index.Similarity())),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.end_date, Index.Range())),
                })
        cls._order = [
            ('number', 'DESC NULLS FIRST'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('candidate', 'interview'),
            ('interview', 'selected'),
            ('selected', 'contracted'),
            ('contracted', 'active'),
            ('active', 'ended'),
            ('candidate', 'rejected'),
            ('interview', 'rejected'),
            ('selected', 'rejected'),
            ('candidate', 'withdrawn'),
            ('interview', 'withdrawn'),
            ('selected', 'withdrawn'),
            ('contracted', 'withdrawn'),
            }
        cls._buttons.update({
                'invite': {
                    'invisible': Eval('state') != 'candidate',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'select': {
                    'invisible': Eval('state') != 'interview',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'contract': {
                    'invisible': Eval('state') != 'selected',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'activate': {
                    'invisible': Eval('state') != 'contracted',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'end': {
                    'invisible': Eval('state') != 'active',
                    'icon': 'tryton-close',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': ~Eval('state').in_(
                        ['candidate', 'interview', 'selected']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'withdraw': {
                    'invisible': ~Eval('state').in_(
                        ['candidate', 'interview', 'selected', 'contracted']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'candidate'

    @classmethod
    def default_anonymised(cls):
        return False

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('kind', 'contract_kind')
    def on_change_kind(self):
        if self.kind and not self.contract_kind:
            self.contract_kind = KIND2CONTRACT.get(self.kind)

    @fields.depends('start_date', 'trial_end_date')
    def on_change_start_date(self):
        if self.start_date and not self.trial_end_date:
            self.trial_end_date = self.start_date + relativedelta(months=1)

    def get_name(self, name):
        if self.candidate:
            return self.candidate.rec_name
        elif self.anonymised:
            return gettext('buurtwerkkamer.msg_placement_anonymised_name')

    def get_rec_name(self, name):
        items = []
        if self.number:
            items.append(self.number)
        if self.name:
            items.append(self.name)
        return ' - '.join(items) or str(self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('number', operator, operand, *extra),
            ('candidate.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def get_next_review_date(cls, placements, name):
        pool = Pool()
        Review = pool.get('buurtwerkkamer.placement.review')
        review = Review.__table__()
        cursor = Transaction().connection.cursor()
        dates = {p.id: p.trial_end_date for p in placements}
        cursor.execute(*review.select(
                review.placement, Max(review.next_review_date),
                where=fields.SQL_OPERATORS['in'](
                    review.placement, list(map(int, placements)))
                & (review.next_review_date != Null),
                group_by=[review.placement]))
        for placement_id, date in cursor:
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            dates[placement_id] = date
        return dates

    @classmethod
    def search_next_review_date(cls, name, clause):
        pool = Pool()
        Review = pool.get('buurtwerkkamer.placement.review')
        table = cls.__table__()
        review = Review.__table__()
        _, operator, value = clause
        Operator = fields.SQL_OPERATORS[operator]
        next_review = review.select(
            review.placement.as_('placement'),
            Max(review.next_review_date).as_('date'),
            group_by=[review.placement])
        date = Coalesce(next_review.date, table.trial_end_date)
        query = table.join(next_review, 'LEFT',
            condition=next_review.placement == table.id
            ).select(table.id,
                where=Operator(date, cls.next_review_date.sql_format(value)))
        return [('id', 'in', query)]

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/form//page[@id="contract"]', 'states', {
                    'invisible': Eval('state').in_(
                        ['candidate', 'interview']),
                    }),
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
                if sequence := configuration.get_multivalue(
                        'placement_sequence', company=company_id):
                    values['number'] = sequence.get()
        return values

    @classmethod
    def copy(cls, placements, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        default.setdefault('interviews')
        default.setdefault('reviews')
        default.setdefault('signals')
        default.setdefault('contract_signed_date')
        default.setdefault('contract_document')
        default.setdefault('contract_document_name')
        default.setdefault('reason')
        default.setdefault('anonymised', False)
        return super().copy(placements, default=default)

    @classmethod
    def check_modification(cls, mode, placements, values=None, external=False):
        super().check_modification(
            mode, placements, values=values, external=external)
        if mode == 'delete':
            for placement in placements:
                if placement.state not in {'candidate', 'rejected'}:
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_placement_delete',
                            placement=placement.rec_name))
        elif mode == 'write':
            modifiable = cls._modifiable_states()
            names = values.keys() & modifiable.keys()
            for placement in placements:
                for name in names:
                    if placement.state not in modifiable[name]:
                        raise AccessError(gettext(
                                'buurtwerkkamer.msg_placement_modify',
                                placement=placement.rec_name,
                                field=cls.fields_get([name])[name]['string'],
                                state=placement.state_string))

    @classmethod
    def _modifiable_states(cls):
        "Return the states in which each field can still be modified"
        recruitment = {'candidate', 'interview'}
        contract = recruitment | {'selected'}
        running = contract | {'contracted', 'active'}
        states = {}
        states.update(dict.fromkeys([
                    'kind', 'room', 'candidate', 'source', 'distance',
                    'referrer', 'motivation', 'interviews'], recruitment))
        states['company'] = {'candidate'}
        states.update(dict.fromkeys([
                    'contract_kind', 'start_date', 'trial_end_date', 'hours',
                    'compensation'], contract))
        states.update(dict.fromkeys([
                    'benefits_agency', 'agency_contact', 'supervisor',
                    'end_date', 'reason'], running))
        states.update(dict.fromkeys([
                    'contract_signed_date', 'contract_document',
                    'contract_document_name'], {'contracted'}))
        states.update(dict.fromkeys(
                ['reviews', 'signals'], {'contracted', 'active'}))
        return states

    def _check_reason(self):
        if not self.reason:
            raise UserError(gettext(
                    'buurtwerkkamer.msg_placement_no_reason',
                    placement=self.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('interview')
    def invite(cls, placements):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('selected')
    def select(cls, placements):
        for placement in placements:
            if not any(i.outcome == 'suitable'
                    for i in placement.interviews):
                raise UserError(gettext(
                        'buurtwerkkamer.msg_placement_no_interview',
                        placement=placement.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('contracted')
    def contract(cls, placements):
        required = ['contract_kind', 'start_date', 'hours', 'supervisor']
        strings = cls.fields_get(required)
        to_write = []
        for placement in placements:
            missing = [
                strings[f]['string'] for f in required
                if not getattr(placement, f)]
            if missing:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_placement_contract_incomplete',
                        placement=placement.rec_name,
                        fields=', '.join(missing)))
            if not placement.trial_end_date:
                to_write.extend(([placement], {
                            'trial_end_date': (
                                placement.start_date
                                + relativedelta(months=1)),
                            }))
        if to_write:
            cls.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def activate(cls, placements):
        for placement in placements:
            if (not placement.contract_signed_date
                    or not placement.contract_document):
                raise UserError(gettext(
                        'buurtwerkkamer.msg_placement_not_signed',
                        placement=placement.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('ended')
    def end(cls, placements):
        pool = Pool()
        Date = pool.get('ir.date')
        for placement in placements:
            if any(s.state != 'resolved' for s in placement.signals):
                raise UserError(gettext(
                        'buurtwerkkamer.msg_placement_open_signals',
                        placement=placement.rec_name))
        to_write = []
        for company, c_placements in groupby_company(placements):
            with Transaction().set_context(company=company.id):
                today = Date.today()
            early = [p for p in c_placements
                if not p.end_date or p.end_date > today]
            if early:
                to_write.extend((early, {'end_date': today}))
        if to_write:
            cls.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, placements):
        for placement in placements:
            placement._check_reason()

    @classmethod
    @ModelView.button
    @Workflow.transition('withdrawn')
    def withdraw(cls, placements):
        for placement in placements:
            placement._check_reason()

    @classmethod
    def anonymise(cls, placements):
        """Erase the personal data of the placements with their interviews,
        reviews and signals, also from their history, attachments (with
        their files) and notes, and the data of their candidates.
        Numbers, kinds, rooms, dates, hours and amounts are kept so that no
        link or total breaks."""
        pool = Pool()
        Interview = pool.get('buurtwerkkamer.placement.interview')
        Review = pool.get('buurtwerkkamer.placement.review')
        Signal = pool.get('buurtwerkkamer.placement.signal')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        if not placements:
            return
        ids = [p.id for p in placements]
        candidates = {p.candidate for p in placements if p.candidate}
        erased = gettext('buurtwerkkamer.msg_placement_anonymised_text')
        to_erase = [
            (cls, [('id', 'in', ids)], dict.fromkeys(PERSONAL_FIELDS)),
            (Signal, [('placement', 'in', ids)], {
                    'description': erased,
                    'approach': None,
                    'resolution': None,
                    }),
            (Interview, [('placement', 'in', ids)], {'notes': None}),
            (Review, [('placement', 'in', ids)], {'notes': None}),
            ]
        for Model, domain, values in to_erase:
            record_ids = [r.id for r in Model.search(domain)]
            if not record_ids:
                continue
            tables = [Model.__table__()]
            if Model._history:
                tables.append(Model.__table_history__())
            for table in tables:
                cursor.execute(*table.update(
                        [Column(table, f) for f in values],
                        list(values.values()),
                        where=fields.SQL_OPERATORS['in'](
                            table.id, record_ids)))
            erase_resources(
                ['%s,%s' % (Model.__name__, i) for i in record_ids])
        clear_cache([Model for Model, _, _ in to_erase])
        cls.write(list(placements), {'anonymised': True})
        erase_parties(candidates)


def erase_resources(resources):
    """Delete the attachments and notes of the resources and the files of
    the attachments from the file store at once: the files are not kept
    for the retention period of deleted attachments."""
    pool = Pool()
    Attachment = pool.get('ir.attachment')
    Note = pool.get('ir.note')
    transaction = Transaction()
    with without_check_access():
        attachments = Attachment.search([('resource', 'in', resources)])
        file_ids = {a.file_id for a in attachments if a.file_id}
        Attachment.delete(attachments)
        Note.delete(Note.search([('resource', 'in', resources)]))
        if file_ids:
            # Keep the files that another attachment still points to
            file_ids -= {a.file_id for a in Attachment.search([
                        ('file_id', 'in', list(file_ids)),
                        ])}
    prefix = Attachment.data.store_prefix
    if prefix is None:
        prefix = transaction.database.name
    filestore.delete_many(sorted(file_ids), prefix=prefix)


# The models whose records belong to a party and go with it
PARTY_OWNED = {
    'party.address', 'party.contact_mechanism', 'party.identifier',
    'bank.account-party.party',
    }


def referenced_ids(model_name, ids, owned=()):
    """Return the ids that a record of another model still points to,
    through a Many2One of any model but those owned"""
    pool = Pool()
    cursor = Transaction().connection.cursor()
    referenced = set()
    for name, Model in pool.iterobject():
        if (not issubclass(Model, ModelSQL)
                or Model._is_table_query()
                or name in owned
                or (name.startswith(model_name + '.')
                    and name != model_name)):
            continue
        table = Model.__table__()
        for fname, field in Model._fields.items():
            if (not isinstance(field, fields.Many2One)
                    or field.model_name != model_name
                    or (name == model_name and fname == 'replaced_by')):
                continue
            column = Column(table, fname)
            where = fields.SQL_OPERATORS['in'](column, list(ids))
            if name == model_name:
                where &= ~fields.SQL_OPERATORS['in'](table.id, list(ids))
            cursor.execute(*table.select(column, where=where, distinct=True))
            referenced.update(i for i, in cursor)
    return referenced


def erase_parties(parties):
    """Erase the personal data of the parties: delete those that no other
    record needs with their addresses, contact mechanisms, identifiers and
    bank accounts, and anonymise the others"""
    pool = Pool()
    Party = pool.get('party.party')
    Address = pool.get('party.address')
    ContactMechanism = pool.get('party.contact_mechanism')
    Identifier = pool.get('party.identifier')
    BankAccount = pool.get('bank.account')
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    if not parties:
        return
    ids = [p.id for p in parties]
    needed = referenced_ids(Party.__name__, ids, PARTY_OWNED)
    with without_check_access(), inactive_records():
        # The bank accounts that belong only to the parties
        accounts = [a for a in BankAccount.search([('owners', 'in', ids)])
            if {o.id for o in a.owners} <= set(ids)]
        used = referenced_ids(
            BankAccount.__name__, [a.id for a in accounts],
            {'bank.account.number', 'bank.account-party.party'})
        BankAccount.delete([a for a in accounts if a.id not in used])
        Number = pool.get('bank.account.number')
        numbers = Number.__table__()
        for sub_ids in grouped_slice(list(used), MAX_QUERY_PARAMS):
            cursor.execute(*numbers.update(
                    [numbers.type, numbers.number, numbers.number_compact],
                    ['other', '****', '****'],
                    where=fields.SQL_OPERATORS['in'](
                        numbers.account, list(sub_ids))))
        ContactMechanism.delete(ContactMechanism.search([('party', 'in', ids)]))
        Identifier.delete(Identifier.search([('party', 'in', ids)]))
        addresses = Address.search([('party', 'in', ids)])
        used = referenced_ids(
            Address.__name__, [a.id for a in addresses], PARTY_OWNED)
        Address.delete([a for a in addresses if a.id not in used])
        # An address that a document points to keeps no data
        address = Address.__table__()
        columns = [
            'party_name', 'attn', 'street_unstructured', 'street_name',
            'building_name', 'building_number', 'unit_number',
            'floor_number', 'room_number', 'post_box', 'private_bag',
            'post_office', 'postal_code', 'city', 'country', 'subdivision']
        for sub_ids in grouped_slice(list(used), MAX_QUERY_PARAMS):
            cursor.execute(*address.update(
                    [Column(address, c) for c in columns
                        if c in Address._fields] + [address.active],
                    [None for c in columns if c in Address._fields]
                    + [False],
                    where=fields.SQL_OPERATORS['in'](
                        address.id, list(sub_ids))))
        erase_resources(['%s,%s' % (Party.__name__, i) for i in ids])
        free = [p for p in parties if p.id not in needed]
        Party.delete(free)
        party = Party.__table__()
        kept = [p.id for p in parties if p.id in needed]
        tables = [party]
        if Party._history:
            tables.append(Party.__table_history__())
        for table in tables:
            for sub_ids in grouped_slice(kept, MAX_QUERY_PARAMS):
                cursor.execute(*table.update(
                        [table.name],
                        [gettext(
                                'buurtwerkkamer.msg_placement_anonymised_name')],
                        where=fields.SQL_OPERATORS['in'](
                            table.id, list(sub_ids))))
    clear_cache([Party, Address, Number])


def clear_cache(Models):
    "Clear the cache of the records of the models updated in SQL"
    transaction = Transaction()
    transaction.counter += 1
    for cache in transaction.cache.values():
        for Model in Models:
            if Model.__name__ in cache:
                cache[Model.__name__].clear()



def groupby_company(records):
    "Yield company and its records"
    companies = {}
    for record in records:
        companies.setdefault(record.company, []).append(record)
    yield from companies.items()


CLOSED = {'ended', 'rejected', 'withdrawn'}


class PlacementChildMixin:
    """Interviews, reviews and signals hold personal data: they do not
    inherit the access of the placement (which team leaders may read) but
    have their own access rights and company rule.
    Each is dated by its field date, latest first."""
    __slots__ = ()

    placement = fields.Many2One(
        'buurtwerkkamer.placement', "Placement", required=True,
        ondelete='CASCADE')
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company', searcher='search_company')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.placement, Index.Range())))
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        lang = Pool().get('ir.lang').get()
        return '%s @ %s' % (
            self.placement.rec_name, lang.strftime(self.date))

    @fields.depends('placement', '_parent_placement.company')
    def on_change_with_company(self, name=None):
        return self.placement.company if self.placement else None

    @classmethod
    def search_company(cls, name, clause):
        return [('placement.' + clause[0], *clause[1:])]

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        pool = Pool()
        Placement = pool.get('buurtwerkkamer.placement')
        super().check_modification(
            mode, records, values=values, external=external)
        # Deletion follows the rules of the placement, which cascades
        if mode in {'create', 'write'}:
            placements = {r.placement for r in records}
            if mode == 'write' and values.get('placement'):
                placements.add(Placement(values['placement']))
            cls.check_placements_open(placements)

    @classmethod
    def check_placements_open(cls, placements):
        "Refuse to record anything more on closed placements"
        for placement in placements:
            if placement.state in CLOSED:
                raise AccessError(gettext(
                        'buurtwerkkamer.msg_placement_closed_record',
                        model=cls.__names__()['model'],
                        placement=placement.rec_name,
                        state=placement.state_string))


class PlacementInterview(RecordAccessMixin,
        PlacementChildMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.placement.interview'

    date = fields.Date("Date", required=True)
    interviewers = fields.Many2Many(
        'buurtwerkkamer.placement.interview-company.employee',
        'interview', 'employee', "Interviewers",
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    notes = fields.Text("Notes")
    outcome = fields.Selection([
            (None, ""),
            ('suitable', "Suitable"),
            ('second_interview', "Second Interview"),
            ('not_suitable', "Not Suitable"),
            ], "Outcome")


class PlacementInterviewEmployee(RecordAccessMixin, ModelSQL):
    __name__ = 'buurtwerkkamer.placement.interview-company.employee'

    interview = fields.Many2One(
        'buurtwerkkamer.placement.interview', "Interview",
        required=True, ondelete='CASCADE')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('interview')


class PlacementReview(RecordAccessMixin,
        PlacementChildMixin, ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.placement.review'

    date = fields.Date("Date", required=True)
    reviewer = fields.Many2One(
        'company.employee', "Reviewer", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    notes = fields.Text("Notes")
    next_review_date = fields.Date(
        "Next Review",
        domain=[
            If(Bool(Eval('next_review_date')),
                ('next_review_date', '>', Eval('date')),
                ()),
            ])


class PlacementSignal(
        ServerFieldsMixin, PlacementChildMixin, RecordAccessMixin, Workflow,
        ModelSQL, ModelView):
    __name__ = 'buurtwerkkamer.placement.signal'
    _history = True

    _states = {
        'readonly': Eval('state') == 'resolved',
        }

    date = fields.Date("Date", required=True, states=_states)
    severity = fields.Selection([
            ('low', "Low"),
            ('medium', "Medium"),
            ('high', "High"),
            ], "Severity", required=True, sort=False, states=_states)
    severity_string = severity.translated('severity')
    description = fields.Text(
        "Description", required=True, states=_states)
    report_to_agency = fields.Boolean(
        "Report to Benefits Agency", states=_states,
        help="Check when the benefits agency must be informed.")
    reported_date = fields.Date(
        "Reported On",
        states={
            'readonly': _states['readonly'],
            'invisible': ~Eval('report_to_agency'),
            })
    agency_contact = fields.Char(
        "Contact Person", states={
            'readonly': _states['readonly'],
            'invisible': ~Eval('report_to_agency'),
            },
        help="Who was informed at the benefits agency.")
    approach = fields.Text(
        "Agreed Approach", states=_states,
        help="What was agreed to solve the problem.")
    resolution = fields.Text(
        "Resolution",
        states={
            'readonly': _states['readonly'],
            'required': Eval('state') == 'resolved',
            })
    state = fields.Selection([
            ('open', "Open"),
            ('reported', "Reported"),
            ('resolved', "Resolved"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('open', 'reported'),
            ('open', 'resolved'),
            ('reported', 'resolved'),
            ('resolved', 'open'),
            }
        cls._buttons.update({
                'report': {
                    'invisible': ((Eval('state') != 'open')
                        | ~Eval('report_to_agency')),
                    'icon': 'tryton-forward',
                    'depends': ['state', 'report_to_agency'],
                    },
                'resolve': {
                    'invisible': Eval('state') == 'resolved',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'resolved',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_severity(cls):
        return 'medium'

    @classmethod
    def default_report_to_agency(cls):
        return False

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def check_modification(cls, mode, signals, values=None, external=False):
        super().check_modification(
            mode, signals, values=values, external=external)
        if mode == 'delete':
            for signal in signals:
                if signal.state != 'open':
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_signal_delete',
                            signal=signal.rec_name,
                            state=signal.state_string))
        elif mode == 'write':
            locked = {
                'reported': cls._reported_fields(),
                # Only reopening changes a resolved signal
                'resolved': values.keys() - {'state'},
                }
            for signal in signals:
                if names := values.keys() & locked.get(signal.state, set()):
                    name = sorted(names)[0]
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_signal_modify',
                            signal=signal.rec_name,
                            field=cls.fields_get([name])[name]['string'],
                            state=signal.state_string))

    @classmethod
    def _reported_fields(cls):
        "The fields that record what was reported to the benefits agency"
        return {'placement', 'date', 'severity', 'description',
            'report_to_agency', 'reported_date', 'agency_contact'}

    @classmethod
    @ModelView.button
    @Workflow.transition('reported')
    def report(cls, signals):
        pool = Pool()
        Date = pool.get('ir.date')
        for signal in signals:
            if not signal.placement.benefits_agency:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_signal_no_agency',
                        signal=signal.rec_name,
                        placement=signal.placement.rec_name))
            if not signal.agency_contact:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_signal_no_contact',
                        signal=signal.rec_name))
        cls.write([s for s in signals if not s.reported_date], {
                'reported_date': Date.today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('resolved')
    def resolve(cls, signals):
        for signal in signals:
            if not signal.resolution:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_signal_no_resolution',
                        signal=signal.rec_name))
            if signal.report_to_agency and not signal.reported_date:
                raise UserError(gettext(
                        'buurtwerkkamer.msg_signal_not_reported',
                        signal=signal.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, signals):
        pass


class Anonymise(Wizard):
    __name__ = 'buurtwerkkamer.placement.anonymise'
    start = StateView(
        'buurtwerkkamer.placement.anonymise.start',
        'buurtwerkkamer.placement_anonymise_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Anonymise", 'anonymise', 'tryton-ok', default=True),
            ])
    anonymise = StateTransition()

    @classmethod
    def anonymise_before(cls):
        "Return the date before which ended placements are anonymised"
        pool = Pool()
        Configuration = pool.get('buurtwerkkamer.configuration')
        Date = pool.get('ir.date')
        years = Configuration(1).get_multivalue('placement_anonymise_years')
        return Date.today() - relativedelta(years=years or 0)

    def default_start(self, fields):
        pool = Pool()
        Placement = pool.get('buurtwerkkamer.placement')
        before = self.anonymise_before()
        placements = Placement.search(anonymisable_domain(before))
        return {
            'before': before,
            'placements': [p.id for p in placements],
            }

    def transition_anonymise(self):
        pool = Pool()
        Placement = pool.get('buurtwerkkamer.placement')
        placements = Placement.search(
            anonymisable_domain(self.anonymise_before()))
        Placement.anonymise(placements)
        return 'end'

    def end(self):
        return 'reload'


class AnonymiseStart(ModelView):
    __name__ = 'buurtwerkkamer.placement.anonymise.start'

    before = fields.Date(
        "Ended Before", readonly=True,
        help="Placements that ended before this date are anonymised.")
    placements = fields.Many2Many(
        'buurtwerkkamer.placement', None, None, "Placements",
        readonly=True)


def anonymisable_domain(before):
    "Domain of the placements whose personal data may be anonymised"
    return [
        ('anonymised', '=', False),
        ['OR',
            [
                ('state', '=', 'ended'),
                ('end_date', '<', before),
                ],
            [
                ('state', 'in', ['rejected', 'withdrawn']),
                ('write_date', '<', dt.datetime.combine(before, dt.time())),
                ],
            ],
        ]


class PlacementReport(DocumentMixin, Report):
    __name__ = 'buurtwerkkamer.placement.agreement'
    _draft_states = {'candidate', 'interview', 'selected'}

    @classmethod
    def get_signatories(cls, placement):
        """Return the participant, the cooperative and, where the placement
        has one, the benefits agency"""
        signed = placement.contract_signed_date
        signatories = [
            cls.signatory(
                placement.candidate, name=placement.name,
                date=signed, signed=bool(signed),
                role=gettext('buurtwerkkamer.msg_document_participant')),
            cls.company_signatory(
                placement.company, date=signed, signed=bool(signed)),
            ]
        if placement.benefits_agency:
            signatories.append(cls.signatory(placement.benefits_agency))
        return signatories

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Date = pool.get('ir.date')
        context = super().get_context(records, header, data)
        context['today'] = Date.today()
        return context


class SignalReport(DocumentMixin, Report):
    """The signal as reported to the benefits agency, or, for a signal not to
    be reported, as an internal note without the agency's address"""
    __name__ = 'buurtwerkkamer.placement.signal_report'
    _draft_states = {'open'}

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Date = pool.get('ir.date')
        context = super().get_context(records, header, data)
        context['today'] = Date.today()
        context['addressed_to_agency'] = cls.addressed_to_agency
        if not any(cls.addressed_to_agency(s) for s in records):
            context['document_title'] = gettext(
                'buurtwerkkamer.msg_signal_internal_note')
        return context

    @classmethod
    def addressed_to_agency(cls, signal):
        "Whether the document of signal is addressed to the benefits agency"
        return bool(signal.report_to_agency)
