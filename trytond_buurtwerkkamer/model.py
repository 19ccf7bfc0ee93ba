# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
from decimal import Decimal, InvalidOperation

from trytond.backend import MAX_QUERY_PARAMS
from trytond.i18n import gettext
from trytond.model import Model, ModelSQL, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction


# The longest text of a Char field without size and of a Text field
CHAR_SIZE = 250
TEXT_SIZE = 50000


class InputCheckMixin:
    """Refuse the values of the module's models that the database would
    store malformed or refuse in its own words: unknown fields, NUL
    characters, too long texts, numbers and dates that are none and
    references to records that do not exist.
    It is registered for every ModelSQL and checks only the module's
    models."""
    __slots__ = ()

    @classmethod
    def _input_checked(cls):
        return cls.__name__.startswith('buurtwerkkamer.')

    # The values are checked before the create and write of the model run,
    # as they may pass them on to other records (e.g. the party of a room).

    @classmethod
    def create(cls, vlist):
        if cls._input_checked():
            for values in vlist:
                cls.check_input_values(values)
            cls.check_input_references(vlist)
        return super().create(vlist)

    @classmethod
    def write(cls, *args):
        if cls._input_checked():
            actions = iter(args)
            for _, values in zip(actions, actions):
                cls.check_input_values(values)
                cls.check_input_references([values])
        super().write(*args)

    @classmethod
    def _input_error(cls, message, name, value=None, **kwargs):
        names = cls.__names__(name)
        if isinstance(value, str) and len(value) > 40:
            value = value[:40] + '…'
        return ValidationError(gettext(
                'buurtwerkkamer.%s' % message,
                model=names['model'], field=names.get('field', name),
                value=str(value).replace('\x00', '\\0'), **kwargs))

    @classmethod
    def check_input_values(cls, values):
        "Refuse the values that do not fit their field"
        for name, value in values.items():
            field = cls._fields.get(name)
            if field is None:
                raise ValidationError(gettext(
                        'buurtwerkkamer.msg_input_unknown_field',
                        model=cls.__names__()['model'], field=name))
            if value is None:
                continue
            type_ = field._type
            if type_ in {'char', 'text', 'selection'}:
                if not isinstance(value, str):
                    continue
                if '\x00' in value:
                    raise cls._input_error('msg_input_nul', name, value)
                size = getattr(field, 'size', None)
                if not isinstance(size, int):
                    size = {'char': CHAR_SIZE, 'text': TEXT_SIZE}.get(type_)
                if size is not None and len(value) > size:
                    raise cls._input_error(
                        'msg_input_too_long', name, value,
                        length=len(value), size=size)
            elif type_ in {'numeric', 'float', 'integer'}:
                if isinstance(value, bool):
                    continue
                if isinstance(value, str):
                    try:
                        number = Decimal(value)
                    except InvalidOperation:
                        raise cls._input_error(
                            'msg_input_number', name, value)
                elif isinstance(value, (int, float, Decimal)):
                    number = Decimal(value)
                else:
                    raise cls._input_error('msg_input_number', name, value)
                if not number.is_finite():
                    raise cls._input_error('msg_input_number', name, value)
                if type_ == 'integer' and number != number.to_integral():
                    raise cls._input_error('msg_input_number', name, value)
            elif type_ in {'date', 'datetime', 'timestamp'}:
                if isinstance(value, dt.date):
                    continue
                parse = (dt.date.fromisoformat if type_ == 'date'
                    else dt.datetime.fromisoformat)
                try:
                    parse(value)
                except (TypeError, ValueError):
                    raise cls._input_error('msg_input_date', name, value)
            elif type_ == 'many2one':
                if isinstance(value, Model):
                    continue
                if isinstance(value, bool) or not isinstance(
                        value, (int, str)):
                    raise cls._input_error('msg_input_record', name, value)
                if isinstance(value, str):
                    try:
                        int(value)
                    except ValueError:
                        raise cls._input_error(
                            'msg_input_record', name, value)

    @classmethod
    def check_input_references(cls, vlist):
        "Refuse the Many2One values that point to no record"
        pool = Pool()
        cursor = Transaction().connection.cursor()
        for name, field in cls._fields.items():
            if (field._type != 'many2one'
                    or isinstance(field, fields.Function)):
                continue
            ids = {int(v[name]) for v in vlist if v.get(name) is not None}
            if not ids:
                continue
            Target = pool.get(field.model_name)
            if (not issubclass(Target, ModelSQL)
                    or Target._is_table_query()):
                continue
            table = Target.__table__()
            found = set()
            for sub_ids in grouped_slice(sorted(ids), MAX_QUERY_PARAMS):
                cursor.execute(*table.select(table.id,
                        where=fields.SQL_OPERATORS['in'](
                            table.id, list(sub_ids))))
                found.update(i for i, in cursor)
            if missing := ids - found:
                raise cls._input_error(
                    'msg_input_record_missing', name, min(missing))
