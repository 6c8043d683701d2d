"""Fixtures for the attacker suite: company A's world and the traces to look for."""

from __future__ import annotations

import pytest

from tests.anonymity.traces import Traces
from tests.anonymity.world import AttackWorld, build_attack_world


@pytest.fixture
def attack_world(factory) -> AttackWorld:
    return build_attack_world(factory)


@pytest.fixture
def traces(attack_world: AttackWorld) -> Traces:
    return attack_world.traces()
