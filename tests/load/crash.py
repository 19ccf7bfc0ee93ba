#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""A Tryton process that stops dead in the middle of its work.

It runs the real code of a scheduler process (``cron``: the due tasks of
the database, as ``trytond-cron`` does) or of a WSGI worker (``wsgi``:
Tryton's WSGI application answering JSON-RPC).  Right after the method
named by --pause-after has returned, inside the still open transaction, it
writes the --marker file and waits, so that the caller can kill it at that
exact point with SIGKILL.
"""
import argparse
import os
import sys
import time


def pause_after(pool, name, marker):
    "Make the class method model.method stop after it has done its work"
    model, method = name.rsplit('.', 1)
    Model = pool.get(model)
    original = getattr(Model, method)

    def wrapper(cls, *args, **kwargs):
        original(*args, **kwargs)
        with open(marker, 'w') as fp:
            fp.write('%s\n' % os.getpid())
        while True:
            time.sleep(60)
    setattr(Model, method, classmethod(wrapper))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('mode', choices=['cron', 'wsgi'])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--pause-after', metavar='MODEL.METHOD')
    parser.add_argument('--marker')
    parser.add_argument('--port', type=int)
    args = parser.parse_args()

    os.environ['TRYTOND_CONFIG'] = args.config
    os.environ['TRYTOND_DATABASE_NAMES'] = args.database
    from trytond import config
    config.update_etc(args.config)
    from trytond.pool import Pool

    if args.mode == 'wsgi':
        # Initialises the pool of the database like a worker does
        from trytond.application import app
    pool = Pool(args.database)
    pool.init()
    if args.pause_after:
        pause_after(pool, args.pause_after, args.marker)

    if args.mode == 'cron':
        Cron = pool.get('ir.cron')
        Cron.run(args.database)
    else:
        from werkzeug.serving import make_server
        make_server('127.0.0.1', args.port, app, threaded=True).serve_forever()


if __name__ == '__main__':
    sys.exit(main())
