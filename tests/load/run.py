#!/usr/bin/env python3
# This file is part of trytond_buurtwerkkamer.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Drive the cluster with concurrent users over JSON-RPC and check what
must hold afterwards.

Bounded: at most --requests requests per user and --seconds in all, on
loopback only.  Prints requests per second, error counts and the checks.
"""
import argparse
import os
import sys
import threading
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(
        os.path.dirname(os.path.dirname(os.path.dirname(
                    os.path.abspath(__file__)))), 'demo'))

from cluster import Cluster, RPCError  # noqa: E402
from load_demo import PASSWORD  # noqa: E402

TEAM_LEADERS = {'henk': 'ZUI', 'mieke': 'OVV', 'ahmed': 'LUN'}


def team_leader_reads(cluster, login, requests, deadline, stats):
    "A team leader opens the rooms again and again: only the own one"
    client = cluster.client(login, PASSWORD)
    for _ in range(requests):
        if time.monotonic() > deadline:
            break
        try:
            rooms = client.call('buurtwerkkamer.room', 'search_read',
                [], 0, None, None, ['code', 'name'])
        except RPCError as error:
            stats['errors'][error.message] += 1
            continue
        stats['requests'][login] += 1
        codes = sorted(r['code'] for r in rooms)
        if codes != [TEAM_LEADERS[login]]:
            stats['violations'].append((login, codes))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--requests', type=int, default=50,
        help="requests per user at the most")
    parser.add_argument('--seconds', type=float, default=120,
        help="time for the whole run at the most")
    parser.add_argument('--keep', action='store_true',
        help="keep the database")
    args = parser.parse_args()

    cluster = Cluster(workers=args.workers)
    print("Creating the database with the demo cooperative …", flush=True)
    cluster.create()
    stats = {
        'requests': Counter(), 'errors': Counter(), 'violations': [],
        }
    with cluster.running():
        deadline = time.monotonic() + args.seconds
        start = time.monotonic()
        threads = [threading.Thread(
                target=team_leader_reads,
                args=(cluster, login, args.requests, deadline, stats))
            for login in TEAM_LEADERS for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.monotonic() - start
    if not args.keep:
        cluster.drop()

    total = sum(stats['requests'].values())
    print("workers: %s, users: %s, requests: %s in %.1f s: %.1f req/s" % (
            args.workers, len(threads), total, duration, total / duration))
    print("errors: %s" % (dict(stats['errors']) or 0))
    print("room isolation violations: %s" % len(stats['violations']))
    checks = {
        'every team leader saw only the own room': not stats['violations'],
        'no request failed': not stats['errors'],
        }
    for name, ok in checks.items():
        print("%s: %s" % ('ok  ' if ok else 'FAIL', name))
    failed = sum(not ok for ok in checks.values())
    print("load: %s passed, %s failed" % (len(checks) - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
