# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""A process killed in the middle of its work leaves nothing half done.

On PostgreSQL, with the demo cooperative and three rooms that have just
joined, a scheduler process is killed with SIGKILL while the monthly
handgeld task is creating their months (after the transfer entries are
posted, and again after the payments are made), and a worker process
while it posts a month's expense entry.  Each time, the database holds no
trace of the interrupted work; running the task or the button again
completes the work exactly once.
"""
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'load'))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'demo'))

DATABASE_URI = os.environ.get('TRYTOND_DATABASE_URI', '')
PERIOD = 'buurtwerkkamer.handgeld.period'
NEW_ROOMS = 3


@unittest.skipUnless(DATABASE_URI.startswith('postgresql'),
    "killing processes is tested on PostgreSQL, with its own database")
class FaultTestCase(unittest.TestCase):
    "Processes killed in the middle of the handgeld work"

    @classmethod
    def setUpClass(cls):
        from cluster import Cluster
        os.environ.setdefault('LOAD_DATABASE_URI', DATABASE_URI)
        cls.cluster = Cluster(database='test_bwk_faults')
        cls.cluster.create()
        cls.new_rooms = cls.cluster.fixture(
            NEW_ROOMS, cron_due=True)
        cls.connection = cls.cluster.connect()
        cls.connection.autocommit = True
        # Only the monthly handgeld task is due: the others would commit
        # their own work in the same scheduler run
        cls.connection.execute(
            "UPDATE ir_cron SET next_call = '2999-01-01' WHERE method <> %s",
            (PERIOD + '|create_periods',))
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.connection.close()
        cls.cluster.drop()
        cls.tmp.cleanup()

    def query(self, sql, *args):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchall()

    def handgeld_state(self):
        "What the handgeld work has written so far"
        return {
            'periods': self.query(
                'SELECT id, room, date, state, transfer_move, payment, '
                'expense_move, spent FROM buurtwerkkamer_handgeld_period '
                'ORDER BY id'),
            'moves': self.query(
                'SELECT id, state, number, origin FROM account_move '
                'ORDER BY id'),
            'lines': self.query('SELECT COUNT(*), SUM(debit), SUM(credit) '
                'FROM account_move_line'),
            'payments': self.query(
                'SELECT id, state, line FROM account_payment ORDER BY id'),
            }

    def wait_until_alone(self):
        "Wait until the killed process's connections are gone"
        for _ in range(100):
            others, = self.query(
                'SELECT COUNT(*) FROM pg_stat_activity '
                'WHERE datname = %s AND pid <> pg_backend_pid()',
                self.cluster.database)[0]
            if not others:
                return
            time.sleep(0.1)
        self.fail("the killed process still holds a connection")

    def kill_at(self, mode, pause_after, **kwargs):
        """Start a process of mode, wait until it has done pause_after and
        kill it there"""
        marker = os.path.join(self.tmp.name, 'paused')
        if os.path.exists(marker):
            os.remove(marker)
        command = [sys.executable, os.path.join(HERE, 'load', 'crash.py'),
            mode, '-c', self.cluster.config, '-d', self.cluster.database,
            '--pause-after', pause_after, '--marker', marker]
        if 'port' in kwargs:
            command += ['--port', str(kwargs['port'])]
        process = subprocess.Popen(command, env=self.cluster.env)
        try:
            trigger = kwargs.get('trigger')
            if trigger:
                self.wait_for_port(kwargs['port'], process)
                thread = threading.Thread(target=trigger, daemon=True)
                thread.start()
            for _ in range(1200):
                if os.path.exists(marker) or process.poll() is not None:
                    break
                time.sleep(0.1)
            self.assertTrue(os.path.exists(marker),
                "%s did not reach %s" % (mode, pause_after))
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        self.wait_until_alone()

    def wait_for_port(self, port, process):
        import socket
        for _ in range(1200):
            self.assertIsNone(process.poll(), "the worker did not start")
            with socket.socket() as sock:
                if not sock.connect_ex(('127.0.0.1', port)):
                    return
            time.sleep(0.1)
        self.fail("the worker did not listen")

    def new_periods(self):
        return self.query(
            'SELECT r.code, p.date, p.transfer_amount, p.transfer_move, '
            'p.payment FROM buurtwerkkamer_handgeld_period p '
            'JOIN buurtwerkkamer_room r ON r.id = p.room '
            'WHERE r.code = ANY(%s) ORDER BY r.code, p.date',
            list(self.new_rooms.values()))

    def test_1_scheduler_killed(self):
        "The monthly task killed half-way leaves nothing; rerun completes"
        before = self.handgeld_state()
        for pause_after in ['account.move.post', 'account.payment.save']:
            with self.subTest(killed_after=pause_after):
                self.kill_at('cron', pause_after)
                self.assertEqual(self.handgeld_state(), before)
                due, = self.query(
                    'SELECT next_call <= NOW() AT TIME ZONE %s FROM ir_cron '
                    'WHERE method = %s', 'UTC', PERIOD + '|create_periods')[0]
                self.assertTrue(due, "the task is still due")

        self.cluster.run_cron_once()
        periods = self.new_periods()
        self.assertEqual(len(periods), NEW_ROOMS)
        for code, date, amount, transfer_move, payment in periods:
            self.assertEqual(amount, Decimal('250.00'))
            moves = self.query(
                'SELECT m.id, m.state FROM account_move m '
                'JOIN account_move_line l ON l.move = m.id '
                'WHERE m.origin = %s AND l.credit = %s',
                '%s,%s' % (PERIOD, self.period_id(code, date)), amount)
            self.assertEqual(moves, [(transfer_move, 'posted')])
            payments = self.query(
                'SELECT p.id FROM account_payment p '
                'JOIN account_move_line l ON l.id = p.line '
                'WHERE l.move = %s', transfer_move)
            self.assertEqual(payments, [(payment,)])

        # Nothing is due any more: once more changes nothing
        after = self.handgeld_state()
        self.cluster.run_cron_once()
        self.assertEqual(self.handgeld_state(), after)

    def period_id(self, code, date):
        return self.query(
            'SELECT p.id FROM buurtwerkkamer_handgeld_period p '
            'JOIN buurtwerkkamer_room r ON r.id = p.room '
            'WHERE r.code = %s AND p.date = %s', code, date)[0][0]

    def test_2_worker_killed_posting(self):
        "A worker killed while posting a month leaves it approved"
        from cluster import Client, free_port
        from load_demo import PASSWORD

        (login, code), = list(self.new_rooms.items())[:1]
        date, = [p[1] for p in self.new_periods() if p[0] == code]
        period = self.period_id(code, date)
        with self.cluster.running(cron=False):
            leader = self.cluster.client(login, PASSWORD)
            category, = leader.call('buurtwerkkamer.handgeld.category',
                'search', [('code', '=', 'A')], 0, None, None)
            leader.call('buurtwerkkamer.handgeld.expense', 'create', [{
                        'period': period, 'date': date, 'category': category,
                        'description': "Koffie en thee",
                        'amount': Decimal('23.45'),
                        'receipt': b'bon koffie en thee',
                        'receipt_name': 'bon-koffie.jpg',
                        }])
            leader.call(PERIOD, 'submit', [period])
            treasurer = self.cluster.client('penningmeester', PASSWORD)
            treasurer.call(PERIOD, 'approve', [period])
        before = self.handgeld_state()
        (expense_move, state), = self.query(
            'SELECT expense_move, state FROM buurtwerkkamer_handgeld_period '
            'WHERE id = %s', period)
        self.assertEqual(state, 'approved')

        port = free_port()

        def post():
            client = Client('http://127.0.0.1:%s' % port,
                self.cluster.database, 'penningmeester', PASSWORD)
            try:
                client.connect().call(PERIOD, 'post', [period])
            except Exception:
                pass
        self.kill_at('wsgi', 'account.move.post', port=port, trigger=post)
        self.assertEqual(self.handgeld_state(), before)
        self.assertEqual(self.query(
                'SELECT state, number FROM account_move WHERE id = %s',
                expense_move), [('draft', None)])

        with self.cluster.running(cron=False):
            treasurer = self.cluster.client('penningmeester', PASSWORD)
            treasurer.call(PERIOD, 'post', [period])
        self.assertEqual(self.query(
                'SELECT state, expense_move '
                'FROM buurtwerkkamer_handgeld_period WHERE id = %s', period),
            [('posted', expense_move)])
        moves = self.query(
            'SELECT id, state FROM account_move WHERE origin = %s '
            'ORDER BY id', '%s,%s' % (PERIOD, period))
        self.assertEqual(len(moves), 2)
        self.assertIn((expense_move, 'posted'), moves)
        self.assertEqual(self.query(
                'SELECT SUM(debit) - SUM(credit) FROM account_move_line '
                'WHERE move = %s', expense_move), [(Decimal('0.00'),)])
