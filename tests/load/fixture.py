#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Add rooms that have just joined the cooperative to a demo database.

Each new room is operational since the first day of the current month,
has its own team leader (an employee and a user who may log in) and a
business account, but no handgeld month yet: the next run of the monthly
scheduler task creates it, posts its transfer and makes its payment.
Prints the logins of the new team leaders with the codes of their rooms as
JSON.
"""
import argparse
import datetime as dt
import json
import os
import sys

sys.path.insert(0, os.path.join(
        os.path.dirname(os.path.dirname(os.path.dirname(
                    os.path.abspath(__file__)))), 'demo'))

from load_demo import PASSWORD, iban  # noqa: E402


def add_rooms(count, cron_due):
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    pool = Pool()
    Company = pool.get('company.company')
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    Bank = pool.get('bank')
    BankAccount = pool.get('bank.account')
    Room = pool.get('buurtwerkkamer.room')
    User = pool.get('res.user')
    Lang = pool.get('ir.lang')
    ModelData = pool.get('ir.model.data')
    Cron = pool.get('ir.cron')
    Date = pool.get('ir.date')

    company, = Company.search([], limit=1)
    with Transaction().set_context(company=company.id):
        today = Date.today()
        start = today.replace(day=1)
        bank, = Bank.search([], limit=1)
        dutch, = Lang.search([('code', '=', 'nl')])
        team_leader_group = ModelData.get_id(
            'buurtwerkkamer', 'group_team_leader')

        number = Room.search_count([('code', 'like', 'N%')])
        codes = ['N%03d' % (number + i) for i in range(1, count + 1)]
        parties = Party.create([{
                    'name': "Teamleider %s" % code,
                    } for code in codes])
        employees = Employee.create([{
                    'party': party.id,
                    'company': company.id,
                    'start_date': start,
                    } for party in parties])
        accounts = BankAccount.create([{
                    'bank': bank.id,
                    'owners': [('add', [party.id])],
                    'numbers': [('create', [{
                                    'type': 'iban',
                                    'number': iban(900000 + int(code[1:])),
                                    }])],
                    } for code, party in zip(codes, parties)])
        rooms = Room.create([{
                    'code': code,
                    'name': "Buurtwerkkamer Nieuw %s" % code[1:],
                    'neighbourhood': "Nieuwbouw",
                    'state': 'operational',
                    'start_date': start,
                    'team_leader': employee.id,
                    'business_account': account.id,
                    'members': [('create', [{
                                    'party': party.id,
                                    'role': 'team_leader',
                                    'start_date': start,
                                    }])],
                    } for code, party, employee, account in zip(
                    codes, parties, employees, accounts)])
        logins = {'leider%s' % room.code[1:]: room.code for room in rooms}
        User.create([{
                    'login': login,
                    'name': "Teamleider %s" % code,
                    'password': PASSWORD,
                    'language': dutch.id,
                    'company': company.id,
                    'companies': [('add', [company.id])],
                    'employees': [('add', [employee.id])],
                    'employee': employee.id,
                    'groups': [('add', [team_leader_group])],
                    } for (login, code), employee in zip(
                    logins.items(), employees)])
        if cron_due:
            crons = Cron.search([
                    ('method', '=',
                        'buurtwerkkamer.handgeld.period|create_periods'),
                    ])
            Cron.write(crons, {'next_call': dt.datetime.now()
                    - dt.timedelta(minutes=1)})
    return logins


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--rooms', type=int, default=10)
    parser.add_argument('--cron-due', action='store_true',
        help="make the monthly handgeld task due now")
    args = parser.parse_args()

    from trytond import config
    config.update_etc(args.config)
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    Pool(args.database).init()
    with Transaction().start(args.database, 0, context={'language': 'nl'}):
        logins = add_rooms(args.rooms, args.cron_due)
    json.dump(logins, sys.stdout)
    print()


if __name__ == '__main__':
    main()
