"""The single-runner lease."""

from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa

from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.worker.lease import Lease, make_holder
from credgroup.worker.models import WorkerLease


def test_second_worker_cannot_take_the_lease_until_it_expires(app):
    first, second = Lease("host-a:1:aa", 60), Lease("host-b:2:bb", 60)
    now = utcnow()

    assert first.acquire(now)
    assert not second.acquire(now + timedelta(seconds=59))
    assert second.acquire(now + timedelta(seconds=61))
    assert not first.acquire(now + timedelta(seconds=62))  # and the first has lost it
    assert first.current().holder == "host-b:2:bb"


def test_holder_renews_its_lease_before_expiry(app):
    lease, other = Lease("host-a:1:aa", 60), Lease("host-b:2:bb", 60)
    now = utcnow()
    lease.acquire(now)

    assert lease.renew(now + timedelta(seconds=50))
    assert not other.acquire(now + timedelta(seconds=100))  # renewed until now + 110 s
    assert lease.current().expires_at == now + timedelta(seconds=110)


def test_released_lease_is_free_at_once(app):
    first, second = Lease("host-a:1:aa", 60), Lease("host-b:2:bb", 60)
    first.acquire()

    first.release()

    assert first.current() is None
    assert second.acquire()


def test_only_the_holder_can_release(app):
    holder, other = Lease("host-a:1:aa", 60), Lease("host-b:2:bb", 60)
    holder.acquire()

    other.release()

    assert holder.current().holder == "host-a:1:aa"


def test_racing_workers_get_exactly_one_lease(app):
    start = threading.Barrier(6)
    results: list[bool] = []

    def race(n: int) -> None:
        with app.app_context():
            start.wait()
            results.append(Lease(f"host:{n}:x", 60).acquire())

    threads = [threading.Thread(target=race, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == [False] * 5 + [True]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkerLease)) == 1


def test_holder_names_say_which_host_and_process_and_are_unique():
    import os
    import socket

    a, b = make_holder(), make_holder()

    assert a != b
    assert a.startswith(f"{socket.gethostname()}:{os.getpid()}:")
