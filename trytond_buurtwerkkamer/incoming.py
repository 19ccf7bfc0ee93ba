# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, Workflow, fields
from trytond.model.exceptions import (
    AccessError, RequiredValidationError, ValidationError)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.tools import escape_wildcard
from trytond.transaction import Transaction, without_check_access


class Incoming(metaclass=PoolMeta):
    __name__ = 'document.incoming'

    handgeld_room = fields.Many2One(
        'buurtwerkkamer.room', "Handgeld Room", readonly=True,
        ondelete='RESTRICT',
        states={
            'invisible': Eval('type') != 'buurtwerkkamer_handgeld_expense',
            },
        help="The room whose handgeld the receipt is for: the room whose "
        "address the e-mail was sent to, or the room of the team leader "
        "who uploaded it.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.type.selection.append(
            ('buurtwerkkamer_handgeld_expense', "Handgeld Receipt"))

    @classmethod
    def check_modification(
            cls, mode, documents, values=None, external=False):
        super().check_modification(
            mode, documents, values=values, external=external)
        # Only the server sets the room: it decides whose month is charged
        if (mode == 'write' and external
                and 'handgeld_room' in values):
            for document in documents:
                if document.handgeld_room != values['handgeld_room']:
                    names = cls.__names__(
                        field='handgeld_room', record=document)
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_server_field_write',
                            field=names['field'], record=names['record']))

    @classmethod
    def create(cls, vlist):
        transaction = Transaction()
        if transaction.user and transaction.check_access:
            for values in vlist:
                if values.get('handgeld_room'):
                    names = cls.__names__(field='handgeld_room')
                    raise AccessError(gettext(
                            'buurtwerkkamer.msg_server_field_create',
                            field=names['field'], model=names['model']))
        return super().create(vlist)

    @classmethod
    def from_inbound_email(cls, email_, rule):
        """Give the documents of an e-mail sent to the address of a room the
        room"""
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        document = super().from_inbound_email(email_, rule)
        message = email_.as_dict()
        addresses = {
            a.lower() for k in ['to', 'cc', 'bcc']
            for a in message.get(k, []) if a}
        if not addresses:
            return document
        with without_check_access():
            rooms = Room.search([
                    ('party.contact_mechanisms', 'where', [
                            ('type', '=', 'email'),
                            ['OR', *(
                                    ('value', 'ilike', escape_wildcard(a))
                                    for a in sorted(addresses))],
                            ]),
                    ], limit=2)
            if len(rooms) == 1:
                room, = rooms
                documents = [document, *document.children]
                for record in documents:
                    record.handgeld_room = room
                cls.save(documents)
        return document

    @classmethod
    def _get_results(cls):
        return super()._get_results() | {'buurtwerkkamer.handgeld.expense'}

    def _handgeld_room(self):
        """Return the room of the receipt

        The room is the one of the e-mail address the receipt was sent to,
        or else the one whose team leader is an employee of the user who
        uploaded the document."""
        pool = Pool()
        Room = pool.get('buurtwerkkamer.room')
        if self.handgeld_room:
            return self.handgeld_room
        employees = [e.id for e in self.create_uid.employees]
        domain = [('team_leader', 'in', employees)]
        if self.company:
            domain.append(('company', '=', self.company.id))
        rooms = Room.search(domain, limit=2)
        if len(rooms) != 1:
            raise UserError(gettext(
                    'buurtwerkkamer.msg_incoming_handgeld_room',
                    document=self.rec_name,
                    user=self.create_uid.rec_name))
        room, = rooms
        return room

    def _handgeld_period(self, room):
        """Return the open month of the room of today or else the latest open
        one before today and the date of the expense in it"""
        pool = Pool()
        Period = pool.get('buurtwerkkamer.handgeld.period')
        Date = pool.get('ir.date')
        with Transaction().set_context(company=room.company.id):
            today = Date.today()
        periods = Period.search([
                ('room', '=', room.id),
                ('state', '=', 'open'),
                ('date', '<=', today),
                ], order=[('date', 'DESC'), ('id', 'DESC')], limit=1)
        if not periods:
            raise UserError(gettext(
                    'buurtwerkkamer.msg_incoming_handgeld_no_open_month',
                    document=self.rec_name,
                    room=room.rec_name))
        period, = periods
        return period, min(today, period.end_date)

    def _process_buurtwerkkamer_handgeld_expense(self):
        "Create a draft expense with the document as receipt"
        pool = Pool()
        Expense = pool.get('buurtwerkkamer.handgeld.expense')
        with without_check_access():
            room = self.handgeld_room = self._handgeld_room()
            self.save()
            period, date = self._handgeld_period(room)
            expense = Expense(
                period=period, date=date,
                description=self.name,
                amount=Decimal(0), category=None, document=self,
                receipt=self.data, receipt_name=self.name)
            expense.save()
        return expense


class Expense(metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.handgeld.expense'

    document = fields.Many2One(
        'document.incoming', "Incoming Document", readonly=True,
        ondelete='SET NULL',
        states={
            'invisible': ~Eval('document'),
            },
        help="The incoming document from which the expense was made; the "
        "team leader completes the amount and the category.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # An expense made from an incoming document waits for its category
        cls.category.required = False
        cls.category.states = cls.category.states.copy()
        cls.category.states['required'] = ~Bool(Eval('document'))
        cls.category.depends = set(cls.category.depends) | {'document'}

    @property
    def incomplete(self):
        """Whether the expense still waits for its amount or category

        Only an expense from a document is created so, but it stays
        incomplete when its document is deleted."""
        return not self.amount or not getattr(self, 'category', None)

    def get_rec_name(self, name):
        if not getattr(self, 'category', None):
            return self.description
        return super().get_rec_name(name)

    @classmethod
    def validate_fields(cls, expenses, field_names):
        super().validate_fields(expenses, field_names)
        cls.check_category(expenses, field_names)

    @classmethod
    def check_category(cls, expenses, field_names=None):
        "Require the category of the expenses not made from a document"
        if field_names and not (field_names & {'category', 'document'}):
            return
        for expense in expenses:
            if not expense.category and not expense.document:
                raise RequiredValidationError(gettext(
                        'ir.msg_required_validation_record',
                        **cls.__names__('category', expense)))

    @classmethod
    def check_amount(cls, expenses, field_names=None):
        # The expense from a document is created with a zero amount
        super().check_amount(
            [e for e in expenses
                if not (getattr(e, 'document', None) and not e.amount)],
            field_names=field_names)

    @classmethod
    def _check_new(cls, vlist, periods):
        super()._check_new(
            [v for v in vlist if not v.get('document')], periods)

    @classmethod
    def check_duplicates(cls, expenses, receipts=True):
        # An incomplete expense has no amount to compare yet
        super().check_duplicates(
            [e for e in expenses if not e.incomplete], receipts=False)
        if receipts:
            cls.check_duplicate_receipts(expenses)

    @classmethod
    def copy(cls, expenses, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('document', None)
        return super().copy(expenses, default=default)


class Period(metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.handgeld.period'

    @classmethod
    def check_complete(cls, periods):
        "Refuse the months with expenses from documents not yet completed"
        for period in periods:
            incomplete = [e for e in period.expenses if e.incomplete]
            if incomplete:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_handgeld_period_incomplete',
                        period=period.rec_name,
                        expenses=', '.join(
                            e.get_rec_name('rec_name') for e in incomplete)))

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, periods):
        cls.check_complete(periods)
        super().submit(periods)
