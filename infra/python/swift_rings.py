"""Builds the three rings of the single-node Swift: one device each, one replica, 2^8 partitions.

Usage: swift_rings.py SWIFT_DIR HOST ACCOUNT_PORT CONTAINER_PORT OBJECT_PORT (run by infra/swift.sh).
"""
import os
import sys

from swift.common.ring import RingBuilder


def build(swift_dir, name, host, port):
    builder = RingBuilder(8, 1, 1)
    builder.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': host, 'port': port, 'device': 'd1', 'weight': 100})
    builder.rebalance()
    builder.save(os.path.join(swift_dir, name + '.builder'))
    builder.get_ring().save(os.path.join(swift_dir, name + '.ring.gz'))


def main():
    swift_dir, host = sys.argv[1], sys.argv[2]
    for name, port in zip(('account', 'container', 'object'), sys.argv[3:6]):
        build(swift_dir, name, host, int(port))


main()
