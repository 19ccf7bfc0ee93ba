# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction

# The fields that Tryton itself fills
_MAGIC_FIELDS = {
    'id', 'create_uid', 'create_date', 'write_uid', 'write_date',
    'rec_name', '_timestamp'}
OFFICE_GROUPS = [
    ('buurtwerkkamer', 'group_administration'),
    ('buurtwerkkamer', 'group_treasurer'),
    ]


class ServerFieldsMixin:
    """Refuse from the clients the fields that the buttons and server set

    The server fields are the fields that are read-only on their own (the
    state, numbers, check and signature fields, links to entries and
    payments, derived amounts) and those named in ``_server_fields``.
    A client may only send them with the value they have (on write) or their
    default (on create).  The buttons, wizards and tasks run without access
    check and set them as before.
    The fields named in ``_office_fields`` are written from a client only by
    the office and the treasurer.
    """
    __slots__ = ()
    # The fields, besides the read-only ones, that only the server sets
    _server_fields = ()
    # The fields that only the office and the treasurer write
    _office_fields = ()
    # The read-only fields that the create of the model fills with records
    # of its own, made in the same transaction
    _create_fields = ()

    @classmethod
    def server_field_names(cls):
        "Return the names of the fields that a client may not change"
        names = {n for n in cls._server_fields if n in cls._fields}
        for name, field in cls._fields.items():
            if name in _MAGIC_FIELDS:
                continue
            if isinstance(field, fields.Function) and not field.setter:
                continue
            if field.readonly is True:
                names.add(name)
        return names

    @classmethod
    def _client_check_office(cls):
        "Return the fields the user of the transaction may not write"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        if not cls._office_fields:
            return set()
        groups = set(User.get_groups())
        if groups & {ModelData.get_id(*g) for g in OFFICE_GROUPS}:
            return set()
        return {n for n in cls._office_fields if n in cls._fields}

    @classmethod
    def _client_same_value(cls, name, value, current):
        "Tell whether the value sent for the field leaves it as it is"
        field = cls._fields[name]
        if isinstance(field, (fields.One2Many, fields.Many2Many)):
            return not value
        if isinstance(current, (list, tuple)) and not isinstance(
                field, fields.MultiSelection):
            current = [getattr(r, 'id', r) for r in current]
        elif isinstance(field, fields.Many2One):
            current = getattr(current, 'id', current)
        elif isinstance(field, fields.Reference):
            if current is not None and not isinstance(current, str):
                current = str(current)
            if isinstance(value, (list, tuple)):
                value = '%s,%s' % tuple(value)
        elif isinstance(field, fields.Numeric):
            if value is not None and not isinstance(value, Decimal):
                value = Decimal(str(value))
        elif isinstance(field, fields.MultiSelection):
            value = sorted(value or [])
            current = sorted(current or [])
        if isinstance(field, fields.Boolean):
            return bool(value) == bool(current)
        return value == current

    @classmethod
    def _client_refuse(cls, name, record=None):
        names = cls.__names__(field=name, record=record)
        if record is not None:
            raise AccessError(gettext(
                    'buurtwerkkamer.msg_server_field_write',
                    field=names['field'], record=names['record']))
        raise AccessError(gettext(
                'buurtwerkkamer.msg_server_field_create',
                field=names['field'], model=names['model']))

    @classmethod
    def _client_refuse_office(cls, name, record=None):
        names = cls.__names__(field=name, record=record)
        raise AccessError(gettext(
                'buurtwerkkamer.msg_office_field_write',
                field=names['field'],
                record=names['record'] if record else names['model']))

    @classmethod
    def _before_create(cls, vlist):
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        transaction = Transaction()
        # The values as the client sent them, before the server fills in
        # numbers and the like; a copy takes the server's own values
        if (transaction.user and transaction.check_access
                and not transaction.context.get('_server_fields_copy')):
            ModelAccess.check(cls.__name__, 'create')
            cls.check_client_create(vlist)
        return super()._before_create(vlist)

    @classmethod
    def copy(cls, records, default=None):
        transaction = Transaction()
        if transaction.user and transaction.check_access and default:
            cls.check_client_create([{
                        n: v for n, v in default.items()
                        if '.' not in n and not callable(v)}])
        with transaction.set_context(_server_fields_copy=True):
            return super().copy(records, default=default)

    @classmethod
    def check_client_create(cls, vlist):
        "Refuse the server fields that a client sends to create records"
        created = Transaction().create_records
        server = cls.server_field_names()
        office = cls._client_check_office()
        for values in vlist:
            for name in (server | office) & values.keys():
                value = values[name]
                if name in cls._create_fields and value is not None:
                    target = cls._fields[name].model_name
                    if value in created.get(target, ()):
                        continue
                default = cls._defaults.get(name)
                default = default() if default else None
                if not cls._client_same_value(name, value, default):
                    if name in server:
                        cls._client_refuse(name)
                    cls._client_refuse_office(name)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'write' and external:
            cls.check_client_write(records, values)

    @classmethod
    def check_client_write(cls, records, values):
        "Refuse the server fields that a client changes"
        server = cls.server_field_names()
        office = cls._client_check_office()
        names = (server | office) & values.keys()
        for record in records:
            for name in sorted(names):
                if not cls._client_same_value(
                        name, values[name], getattr(record, name)):
                    if name in server:
                        cls._client_refuse(name, record)
                    cls._client_refuse_office(name, record)
