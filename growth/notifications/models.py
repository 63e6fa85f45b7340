"""Notifications people control: every email the app sends is also kept as an in-app
notification, and each person chooses per kind how it reaches them. Imported at the end of
``growth.models`` so they are part of the ``growth`` app."""

from __future__ import annotations

from django.db import models

from growth.models import StaffMember
from growth.security.tenancy import TrustOwned


class Notification(TrustOwned):
    """One message to one person, shown in their notification list whatever its delivery."""

    class Delivery(models.TextChoices):
        EMAIL = "email", "Email me straight away"
        DIGEST = "digest", "Put it in my weekly email digest"
        IN_APP = "in_app", "Only show it here"

    recipient = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    read_at = models.DateTimeField(null=True, blank=True)
    # The weekly digest that carried it (the id of the reminder claim that sent the digest,
    # set in the same transaction as that claim's ``sent_at``): empty until then.
    digested_in = models.BigIntegerField(null=True, blank=True)
    # The reminder claim it keeps (the id of a checkins ``ReminderLog``, which ``growth``
    # cannot name): a reminder is kept once, however many times its email is tried.
    reminder_claim = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta(TrustOwned.Meta):
        ordering = ["-created_at", "-id"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "reminder_claim"],
                condition=models.Q(reminder_claim__isnull=False),
                name="notification_once_per_reminder",
            ),
        ]
        indexes = [
            models.Index(fields=["trust", "recipient", "-created_at"]),
            models.Index(
                fields=["trust", "recipient"],
                condition=models.Q(delivery="digest", digested_in__isnull=True),
                name="notification_digest_waiting",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class NotificationPreference(TrustOwned):
    """How one person wants each kind of notification: ``{kind: delivery}``; a kind not named
    is emailed straight away."""

    staff_member = models.OneToOneField(
        StaffMember, on_delete=models.CASCADE, related_name="notification_preference"
    )
    deliveries = models.JSONField(default=dict, blank=True)

    class Meta(TrustOwned.Meta):
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "staff_member"], name="notification_preference_one_per_person"
            ),
        ]
