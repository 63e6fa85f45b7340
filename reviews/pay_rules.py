"""Pay progression as the policy says it (seed 004, with seed 003's overall ratings): pure
rules over loaded values, shared by the pay models, services, selectors and pages.

Seed 004: "As long as our teachers continue to meet the Teachers' Standards, and engage in
the process of professional growth, pay progression will be automatic". The decided review
outcome says both (the grid's rows are engagement with check-ins, its columns impact), so a
trust's mapping turns each outcome into an overall rating in seed 003's three words and a
recommendation: progress, or refer to the headteacher. The default below is the policy's;
each trust may edit it (reviews.PayMappingEntry).
"""

from __future__ import annotations

from django.db import models

from reviews import rubric


class PayRating(models.TextChoices):
    """Seed 003's three overall ratings."""

    EXCEPTIONAL = "exceptional", "Exceptional"
    ACHIEVED = "achieved", "Achieved expectations"
    NOT_MET = "not_met", "Not met expectations"


class PayRecommendation(models.TextChoices):
    PROGRESS = "progress", "Progress to the next point"
    REFER = "refer", "Refer to the headteacher"


class PayOutcome(models.TextChoices):
    """What the headteacher decides for one teacher's pay this year."""

    PROGRESS = "progress", "Progresses to the next point"
    HOLD = "hold", "Stays on the current point"


# Exceeded and Met: the Standards are met and the person engaged, so they progress.
# Partially met is the grid's low-engagement row (cells 4 and 7): impact may be there, but
# the engagement the policy asks for is not, so the head decides. Not met: the head decides.
DEFAULT_PAY_MAPPING: dict[str, tuple[str, str]] = {
    rubric.EXCEEDED: (PayRating.EXCEPTIONAL, PayRecommendation.PROGRESS),
    rubric.MET: (PayRating.ACHIEVED, PayRecommendation.PROGRESS),
    rubric.PARTIALLY_MET: (PayRating.ACHIEVED, PayRecommendation.REFER),
    rubric.NOT_MET: (PayRating.NOT_MET, PayRecommendation.REFER),
}

# Seed 004: "The 'sustained' criterion should be two years or more working at this level."
SUSTAINED_YEARS = 2

# The four criteria of an Upper Pay Scale application (seed 004), in the policy's words.
UPS_CRITERIA = {
    "standards": (
        "Highly competent in all of the Teachers' Standards",
        "They are highly competent in all of the Teachers' Standards and have an extensive "
        "knowledge and understanding of how to use and adapt a range of teaching, learning "
        "and behaviour management strategies.",
    ),
    "engagement": (
        "Fully engaged in professional growth",
        "They are fully engaged in the process of professional growth.",
    ),
    "substantial_sustained": (
        "Substantial and sustained",
        "Their achievements and contribution to their school are 'substantial and sustained'. "
        "As long as they have met the Teachers' Standards they have met the 'substantial' "
        "criterion; the 'sustained' criterion is two years or more working at this level.",
    ),
    "wider_contribution": (
        "Wider contribution",
        "They have the potential and commitment to undertake professional duties which make a "
        "wider contribution to their school, such as sharing good practice, mentoring and "
        "coaching, and demonstration lessons for less experienced colleagues.",
    ),
}
