#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Serve a fresh demo database with the web client and run the browser tests.

Every ``*.test.mjs`` beside this file is one scenario (one role's daily work);
they run one after the other, in the order of their names, against the same
demo database, so a later scenario sees what an earlier one did.  Their
screenshots go to ``doc/screenshots/`` (or ``$SCREENSHOTS``).  A single
scenario runs with ``run.py treasurer``.

Skipped with a message when Chromium or the web client is missing; CI
installs both.
"""
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.dirname(sys.executable)
SAO = os.path.join(ROOT, '.sao', 'package')
CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
DATABASE = 'browser'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def wait_for(url, process, timeout=120):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if process.poll() is not None:
            raise RuntimeError("trytond stopped with %s" % process.returncode)
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("trytond did not answer on %s" % url)


def scenarios(names):
    files = sorted(glob.glob(os.path.join(HERE, '*.test.mjs')))
    if names:
        files = [f for f in files
            if any(n in os.path.basename(f) for n in names)]
    return files


def main(names=()):
    if not os.path.exists(CHROMIUM):
        print("Browser tests skipped: %s is not installed "
            "(apt-get install chromium)." % CHROMIUM)
        return 0
    if not os.path.exists(os.path.join(SAO, 'index.html')):
        print("Browser tests skipped: the web client is missing "
            "(make sao).")
        return 0
    if not os.path.exists(
            os.path.join(HERE, 'node_modules', 'playwright-core')):
        subprocess.run(
            ['npm', 'install', '--no-audit', '--no-fund', '--silent'],
            cwd=HERE, check=True)

    port = free_port()
    workdir = tempfile.mkdtemp(prefix='bwk-browser-')
    env = dict(os.environ)
    for name in ['TRYTOND_DATABASE_URI', 'DB_NAME', 'DB_CACHE']:
        env.pop(name, None)
    config = os.path.join(workdir, 'trytond.conf')
    with open(config, 'w') as fp:
        fp.write('[database]\nuri = sqlite://\npath = %s\n\n'
            '[web]\nlisten = 127.0.0.1:%s\nroot = %s\n' % (
                workdir, port, SAO))
    with open(os.path.join(workdir, 'password'), 'w') as fp:
        fp.write('admin\n')
    open(os.path.join(workdir, DATABASE + '.sqlite'), 'w').close()
    env['TRYTONPASSFILE'] = os.path.join(workdir, 'password')
    server = None
    try:
        subprocess.run([os.path.join(BIN, 'trytond-admin'), '-c', config,
                '-d', DATABASE, '--email', 'admin@example.org',
                '-u', 'buurtwerkkamer', '--activate-dependencies',
                '-l', 'nl'], env=env, check=True)
        subprocess.run([sys.executable,
                os.path.join(ROOT, 'demo', 'load_demo.py'),
                '-c', config, '-d', DATABASE], env=env, check=True,
            stdout=subprocess.DEVNULL)
        # The accountant's checks of the demo's books.
        books = subprocess.run([sys.executable,
                os.path.join(ROOT, 'tests', 'demo_books.py'),
                '-c', config, '-d', DATABASE], env=env)
        # Every document printed to PDF and read back, once.
        documents = subprocess.run([sys.executable,
                os.path.join(ROOT, 'tests', 'demo_documents.py'),
                '-c', config, '-d', DATABASE], env=env)
        server = subprocess.Popen([os.path.join(BIN, 'trytond'),
                '-c', config, '-d', DATABASE], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base_url = 'http://127.0.0.1:%s' % port
        wait_for(base_url + '/', server)
        sys.path.insert(0, os.path.join(ROOT, 'demo'))
        from load_demo import PASSWORD
        env.update({
                'BASE_URL': base_url,
                'DATABASE': DATABASE,
                'PASSWORD': PASSWORD,
                'CHROMIUM': CHROMIUM,
                'SCREENSHOTS': os.environ.get(
                    'SCREENSHOTS', os.path.join(ROOT, 'doc', 'screenshots')),
                })
        os.makedirs(env['SCREENSHOTS'], exist_ok=True)
        result = subprocess.run(
            ['node', '--test', '--test-reporter=spec',
                '--test-concurrency=1', *scenarios(names)],
            cwd=HERE, env=env)
        return (result.returncode or books.returncode
            or documents.returncode)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
