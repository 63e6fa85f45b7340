"""``manage.py load_framework FILE [--trust SLUG]``: load a framework of standards from a YAML
or JSON file (format: ``fixtures/example_framework.yaml``). Without ``--trust`` the framework is
shared by every trust. A bad file is refused with every problem named and nothing written."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from growth.models import Trust
from growth.security.rls import all_trusts
from growth.security.tenancy import trust_scope
from standards.loader import FrameworkFileError, load_framework_spec
from standards.services import framework_load


class Command(BaseCommand):
    help = "Load a framework of standards from a YAML or JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .yaml, .yml or .json file.")
        parser.add_argument(
            "--trust",
            metavar="SLUG",
            help="The trust whose own framework this is; leave out for a shared framework.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        trust = None
        if options["trust"]:
            trust = Trust.objects.filter(slug=options["trust"]).first()
            if trust is None:
                raise CommandError(f"--trust: no trust with the slug {options['trust']!r}.")
        try:
            spec = load_framework_spec(options["file"])
            # A trust's own framework is written inside that trust's scope. A shared one is
            # platform maintenance: it must see every trust's self-reviews to know whether a
            # standard the file leaves out is still in use (row-level security hides them
            # otherwise).
            scope = trust_scope(trust) if trust is not None else all_trusts()
            with scope:
                framework = framework_load(actor=None, spec=spec, trust=trust)
        except FrameworkFileError as exc:
            raise CommandError(
                f"{options['file']} was not loaded; nothing was written:\n"
                + "\n".join(f"  {problem}" for problem in exc.problems)
            ) from exc
        owner = f"for {trust.name}" if trust else "shared by every trust"
        count = len(spec.standards)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {framework.name!r} ({count} standards), {owner}.")
        )
