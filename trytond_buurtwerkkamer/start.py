# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The start page of every role and the notifications that bring work to it.

Every group of the module has a board (``act_start_<role>``) of the lists
that need the attention of that role, each with counting tabs.  A user who
chose no actions to run at login gets the boards of his or her groups.
"""
import json

from trytond.i18n import gettext
from trytond.model import ModelView, Workflow
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

# group XML id: board action XML id, in the order they open at login
START_PAGES = [
    ('buurtwerkkamer.group_administration', 'act_start_administration'),
    ('buurtwerkkamer.group_treasurer', 'act_start_treasurer'),
    ('buurtwerkkamer.group_team_leader', 'act_start_team_leader'),
    ('buurtwerkkamer.group_placement_officer', 'act_start_placement_officer'),
    ('buurtwerkkamer.group_kascommissie', 'act_start_kascommissie'),
    ('buurtwerkkamer.group_accountant', 'act_start_accountant'),
    ]


def notify(group, label, description, model, records):
    "Notify every other user of the group of the records"
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    User = pool.get('res.user')
    Notification = pool.get('res.notification')
    if not records:
        return []
    group_id = ModelData.get_id(*group.split('.'))
    with without_check_access():
        users = User.search([
                ('groups', '=', group_id),
                ('id', '!=', Transaction().user),
                ])
        notifications = [Notification(
                user=user,
                label=label,
                description=description,
                model=model,
                records=json.dumps([r.id for r in records]),
                ) for user in users]
        Notification.save(notifications)
    return notifications


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def start_pages(cls, user):
        "Return the ids of the start pages of the groups of the user"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Action = pool.get('ir.action')
        group_ids = {g.id for g in user.groups}
        actions = []
        for group, action in START_PAGES:
            if ModelData.get_id(*group.split('.')) in group_ids:
                actions.append(Action.get_action_id(
                        ModelData.get_id('buurtwerkkamer', action)))
        return actions

    @classmethod
    def _get_preferences(cls, user, context_only=False):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        preferences = super()._get_preferences(
            user, context_only=context_only)
        if ('actions' in preferences
                and not user.actions
                and user.id != ModelData.get_id('res', 'user_admin')):
            preferences['actions'] = (
                preferences['actions'] + cls.start_pages(user))[:5]
        return preferences


class HandgeldPeriod(metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.handgeld.period'

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, periods):
        super().submit(periods)
        for sub_periods in grouped_slice(periods, 10):
            sub_periods = list(sub_periods)
            notify('buurtwerkkamer.group_treasurer',
                gettext('buurtwerkkamer.msg_start_handgeld_submitted_label'),
                gettext('buurtwerkkamer.msg_start_handgeld_submitted',
                    periods=', '.join(p.rec_name for p in sub_periods)),
                cls.__name__, sub_periods)


class AnnualReport(metaclass=PoolMeta):
    __name__ = 'buurtwerkkamer.annual_report'

    @classmethod
    @ModelView.button
    @Workflow.transition('computed')
    def compute(cls, reports):
        super().compute(reports)
        for sub_reports in grouped_slice(reports, 10):
            sub_reports = list(sub_reports)
            notify('buurtwerkkamer.group_kascommissie',
                gettext(
                    'buurtwerkkamer.msg_start_annual_report_computed_label'),
                gettext('buurtwerkkamer.msg_start_annual_report_computed',
                    reports=', '.join(r.rec_name for r in sub_reports)),
                cls.__name__, sub_reports)
