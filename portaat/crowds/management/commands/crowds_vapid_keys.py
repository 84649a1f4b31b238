"""``portaat manage crowds_vapid_keys``: a new VAPID key pair for Web Push, as environment lines.

Prints ``PORTAAT_VAPID_PRIVATE_KEY=…`` and ``PORTAAT_VAPID_SUBJECT=…`` (append them to the
site's environment file); the public key is derived from the private one when needed and is
printed only as a comment. Nothing is stored: replacing the key of a running site orphans every
browser subscription made with the old key, so that stays a deliberate step.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from portaat.crowds.transports.webpush import vapid


class Command(BaseCommand):
    help = "Print a new VAPID key pair for Web Push notifications as environment lines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--subject",
            default="",
            help="mailto: or https: address push services may contact "
            "(default: mailto:DEFAULT_FROM_EMAIL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        subject = str(options["subject"] or "").strip()
        if not subject:
            subject = f"mailto:{settings.DEFAULT_FROM_EMAIL}"
        if not (subject.startswith("mailto:") or subject.startswith("https://")):
            raise CommandError(_("The subject must start with mailto: or https://."))
        private, public = vapid.generate()
        if vapid.private_key() is not None:
            self.stderr.write(
                _(
                    "A key is already configured. Browsers subscribed with it get no more "
                    "notifications after a change until their volunteers subscribe again."
                )
            )
        self.stdout.write(f"# Web Push (VAPID) — public key, derived when needed: {public}")
        self.stdout.write(f"PORTAAT_VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"PORTAAT_VAPID_SUBJECT={subject}")
