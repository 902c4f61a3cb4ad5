#!/usr/bin/python3
"""Measures how long a clustered engine of the HA set stops serving while a node is killed (infra/README.md, HA).

  /usr/bin/python3 ha_probe.py mariadb|postgres|rabbitmq SECONDS [TARGET]

Writes in a bounded loop for SECONDS: an INSERT through HAProxy's Galera front (TARGET: port, default 3310), an INSERT
on the PostgreSQL primary (TARGET: a libpq host list, default HAProxy's front 127.0.0.1:5440), or a persistent message
published with confirms to a quorum queue (TARGET: comma-separated AMQP ports, default 5681,5682,5683). A failed
attempt reconnects (next node for RabbitMQ). Prints the writes that succeeded, those that failed, and the longest time
between two successful writes: what a client waits while the cluster recovers.
"""
import sys
import time

USER = PASSWORD = "imagemanager"


def mariadb(target):
    import pymysql
    port = int(target or 3310)

    def connect():
        c = pymysql.connect(host="127.0.0.1", port=port, user=USER, password=PASSWORD, database="imagemanager_catalog",
                            connect_timeout=2, read_timeout=5, write_timeout=5, autocommit=True)
        c.cursor().execute("CREATE TABLE IF NOT EXISTS ha_probe (id BIGINT AUTO_INCREMENT PRIMARY KEY, at DOUBLE)")
        return c

    return connect, lambda c: c.cursor().execute("INSERT INTO ha_probe (at) VALUES (%s)", (time.time(),))


def postgres(target):
    import psycopg2
    hosts = (target or "127.0.0.1:5440").split(",")
    dsn = "host=%s port=%s user=%s password=%s dbname=imagemanager_distribution connect_timeout=2 target_session_attrs=read-write" % (
        ",".join(h.split(":")[0] for h in hosts), ",".join(h.split(":")[1] for h in hosts), USER, PASSWORD)

    def connect():
        c = psycopg2.connect(dsn, options="-c statement_timeout=5000")
        c.autocommit = True
        c.cursor().execute("CREATE TABLE IF NOT EXISTS ha_probe (id BIGSERIAL PRIMARY KEY, at DOUBLE PRECISION)")
        return c

    return connect, lambda c: c.cursor().execute("INSERT INTO ha_probe (at) VALUES (%s)", (time.time(),))


def rabbitmq(target):
    import pika
    ports = [int(p) for p in (target or "5681,5682,5683").split(",")]
    state = {"next": 0}

    def connect():
        port = ports[state["next"] % len(ports)]
        state["next"] += 1
        c = pika.BlockingConnection(pika.ConnectionParameters(
            host="127.0.0.1", port=port, socket_timeout=2, blocked_connection_timeout=5, connection_attempts=1))
        ch = c.channel()
        ch.confirm_delivery()
        ch.queue_declare("ha-probe", durable=True, arguments={"x-queue-type": "quorum"})
        c.probe_channel = ch
        return c

    def write(c):
        c.probe_channel.basic_publish("", "ha-probe", b"probe", pika.BasicProperties(delivery_mode=2), mandatory=True)

    return connect, write


def main():
    kind, seconds = sys.argv[1], float(sys.argv[2])
    connect, write = {"mariadb": mariadb, "postgres": postgres, "rabbitmq": rabbitmq}[kind](
        sys.argv[3] if len(sys.argv) > 3 else None)
    ok = failed = 0
    last_ok = first = time.monotonic()
    longest = 0.0
    conn = None
    deadline = first + seconds
    while time.monotonic() < deadline:
        try:
            if conn is None:
                conn = connect()
            write(conn)
            now = time.monotonic()
            longest = max(longest, now - last_ok)
            last_ok = now
            ok += 1
        except Exception as error:  # any failure counts: the point is how long the service is gone
            failed += 1
            if failed <= 3 or failed % 50 == 0:
                print("  %.2fs %s: %s" % (time.monotonic() - first, type(error).__name__, str(error)[:120]), flush=True)
            try:
                if conn is not None:
                    conn.close()
            except Exception:
                pass
            conn = None
            time.sleep(0.05)
        time.sleep(0.02)
    longest = max(longest, time.monotonic() - last_ok)  # an outage still going on at the end counts too
    print("%s: %d writes ok, %d failed, longest gap between successful writes %.2fs" % (kind, ok, failed, longest))


if __name__ == "__main__":
    main()
