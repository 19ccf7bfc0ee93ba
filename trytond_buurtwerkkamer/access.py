# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
from collections import defaultdict

from trytond.model import Model
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

_RELATIONS = {'many2one', 'one2one', 'one2many', 'many2many', 'reference'}


def check_export_rules(Model_, records, fields_names):
    """Check the read rules of the records and of every record reached
    through the exported field names.

    Tryton evaluates the record rules of an export in Python, where a rule
    on a related field ('room.staff') holds for any record that has a room;
    this checks them in the database, as read and search do."""
    transaction = Transaction()
    if not transaction.user or not transaction.check_access:
        return
    paths = [n.split('/') for n in fields_names]
    _check_rules(Model_, [r.id for r in records], paths)


def _check_rules(Model_, ids, paths):
    pool = Pool()
    Rule = pool.get('ir.rule')
    ids = list({i for i in ids if i is not None and i >= 0})
    if not ids:
        return
    Rule.check(Model_.__name__, ids, mode='read')

    children = defaultdict(list)
    for path in paths:
        if not path or not path[0]:
            continue
        name = path[0].split('.', 1)[0].split(':lang=', 1)[0]
        field = Model_._fields.get(name)
        if field is None or field._type not in _RELATIONS:
            continue
        # The exported value of a relation is the rec_name of its target
        children[name].append(path[1:])
    if not children:
        return
    with without_check_access():
        records = Model_.browse(ids)
        targets = {}
        for name in children:
            by_model = targets[name] = defaultdict(set)
            for record in records:
                value = getattr(record, name)
                if isinstance(value, Model):
                    value = [value]
                elif not isinstance(value, (list, tuple)):
                    continue
                for target in value:
                    by_model[target.__class__].add(target.id)
    for name, sub_paths in children.items():
        for Target, target_ids in targets[name].items():
            _check_rules(Target, target_ids, sub_paths)


class RecordAccessMixin:
    """Apply the record rules wherever a record leaves the server:
    exports and history."""
    __slots__ = ()

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        check_export_rules(cls, records, fields_names)
        return super().export_data(records, fields_names, header=header)

    @classmethod
    def history_revisions(cls, ids):
        pool = Pool()
        Rule = pool.get('ir.rule')
        Rule.check(cls.__name__, ids, mode='read')
        return super().history_revisions(ids)
