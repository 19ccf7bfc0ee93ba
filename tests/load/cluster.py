# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""A production-like cluster on this machine, for load and fault runs.

One PostgreSQL database with the module and the demo cooperative, several
Tryton WSGI worker processes behind gunicorn and one ``trytond-cron``
process, all on loopback.
"""
import base64
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from trytond.protocols.jsonrpc import JSONDecoder, JSONEncoder

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.dirname(sys.executable)
PG_URI = os.environ.get(
    'LOAD_DATABASE_URI', 'postgresql://postgres@127.0.0.1:5432/')


class RPCError(Exception):

    def __init__(self, error):
        super().__init__(error)
        self.error = error

    @property
    def message(self):
        "The text shown to the user"
        error = self.error
        if isinstance(error, list) and len(error) > 1:
            args = error[1]
            if isinstance(args, list) and args:
                return str(args[0])
        return str(error)


class Client:
    "A JSON-RPC client that logs in like the web client"

    def __init__(self, url, database, login, password):
        self.url = '%s/%s/rpc/' % (url.rstrip('/'), database)
        self.login = login
        self.password = password
        self.context = {}
        self._auth = None
        self._id = 0

    def _post(self, method, params):
        self._id += 1
        data = json.dumps({
                'id': self._id, 'method': method, 'params': params,
                }, cls=JSONEncoder).encode('utf-8')
        request = urllib.request.Request(self.url, data=data, headers={
                'Content-Type': 'application/json',
                })
        if self._auth:
            request.add_header('Authorization', 'Session ' + self._auth)
        with urllib.request.urlopen(request, timeout=120) as response:
            result = json.loads(response.read(), object_hook=JSONDecoder())
        if result.get('error'):
            raise RPCError(result['error'])
        return result['result']

    def connect(self):
        user_id, session, *_ = self._post('common.db.login', [
                self.login, {'password': self.password}, 'nl'])
        self._auth = base64.b64encode(
            ('%s:%s:%s' % (self.login, user_id, session)).encode()).decode()
        self.context = self._post(
            'model.res.user.get_preferences', [True, {}])
        return self

    def call(self, model, method, *args):
        return self._post(
            'model.%s.%s' % (model, method), [*args, self.context])


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def wait_for(url, processes, timeout=180):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(
                    "%s stopped with %s" % (process.args, process.returncode))
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("nothing answered on %s" % url)


def psql(sql, database='postgres'):
    subprocess.run(['psql', '-q', '-h', '127.0.0.1', '-U', 'postgres',
            '-d', database, '-c', sql], check=True)


class Cluster:
    "Set up the database once, then start and stop the processes"

    def __init__(self, database='bwk_load', workers=2):
        self.database = database
        self.workers = workers
        self.workdir = tempfile.mkdtemp(prefix='bwk-cluster-')
        self.port = free_port()
        self.url = 'http://127.0.0.1:%s' % self.port
        self.config = os.path.join(self.workdir, 'trytond.conf')
        with open(self.config, 'w') as fp:
            fp.write('[database]\nuri = %s\npath = %s\nretry = 20\n\n'
                '[session]\nauthentications = password\n'
                'max_attempt = 1000\n' % (PG_URI, self.workdir))
        self.env = dict(os.environ)
        for name in ['TRYTOND_DATABASE_URI', 'DB_NAME', 'DB_CACHE']:
            self.env.pop(name, None)
        self.env['TRYTOND_CONFIG'] = self.config
        self.processes = []

    def create(self):
        "Create the database with the module and the demo cooperative"
        self.drop()
        psql('CREATE DATABASE %s' % self.database)
        password = os.path.join(self.workdir, 'password')
        with open(password, 'w') as fp:
            fp.write('admin\n')
        env = dict(self.env, TRYTONPASSFILE=password)
        subprocess.run([os.path.join(BIN, 'trytond-admin'),
                '-c', self.config, '-d', self.database,
                '--email', 'admin@example.org', '-u', 'buurtwerkkamer',
                '--activate-dependencies', '-l', 'nl'],
            env=env, check=True)
        subprocess.run([sys.executable,
                os.path.join(ROOT, 'demo', 'load_demo.py'),
                '-c', self.config, '-d', self.database],
            env=env, check=True, stdout=subprocess.DEVNULL)

    def fixture(self, rooms, cron_due=False):
        """Add rooms that opened this month, with their team leaders;
        return the team leaders' logins with the codes of their rooms"""
        command = [sys.executable, os.path.join(HERE, 'fixture.py'),
            '-c', self.config, '-d', self.database,
            '--rooms', str(rooms)]
        if cron_due:
            command.append('--cron-due')
        process = subprocess.run(command, env=self.env, check=True,
            stdout=subprocess.PIPE, text=True)
        return json.loads(process.stdout.splitlines()[-1])

    def start(self, cron=True):
        "Start the workers and, with cron, one scheduler"
        env = dict(self.env, TRYTOND_DATABASE_NAMES=self.database)
        self.processes.append(subprocess.Popen([
                    os.path.join(BIN, 'gunicorn'),
                    '--workers', str(self.workers),
                    '--bind', '127.0.0.1:%s' % self.port,
                    '--timeout', '300', '--log-level', 'warning',
                    'trytond.application:app'],
                env=env, start_new_session=True))
        if cron:
            self.start_cron()
        wait_for(self.url + '/', self.processes)

    def start_cron(self, count=1):
        "Start count scheduler processes, as on count machines"
        for _ in range(count):
            self.processes.append(subprocess.Popen([
                        os.path.join(BIN, 'trytond-cron'),
                        '-c', self.config, '-d', self.database, '-n', '1'],
                    env=self.env, start_new_session=True))

    def run_cron_once(self):
        "Run the due scheduler tasks once, as trytond-cron does"
        subprocess.run([os.path.join(BIN, 'trytond-cron'),
                '-c', self.config, '-d', self.database, '-n', '1', '--once'],
            env=self.env, check=True)

    def connect(self):
        "A direct connection to the database, for checks"
        import psycopg
        return psycopg.connect(PG_URI.rstrip('/') + '/' + self.database)

    def stop(self):
        "Stop every process with the processes it started"
        for process in reversed(self.processes):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def drop(self):
        psql('DROP DATABASE IF EXISTS %s WITH (FORCE)' % self.database)

    def client(self, login, password):
        return Client(self.url, self.database, login, password).connect()

    @contextlib.contextmanager
    def running(self, cron=True):
        self.start(cron=cron)
        try:
            yield self
        finally:
            self.stop()
