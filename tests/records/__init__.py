"""Each app adds a module here with ``populate(world)``, which creates one of each of its
records for the people of a TrustWorld. The generic cross-trust test builds trust A with every
module's records and then requests every URL that carries an object id as every role of
trust B, expecting 404."""

from __future__ import annotations

import importlib
import pkgutil

from tests.factories import TrustWorld


def populate_everything(world: TrustWorld) -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.populate(world)
