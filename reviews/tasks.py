"""Tasks of the reviews app; CELERY_TASK_ROUTES sends every one to the ``pdf`` queue."""

from __future__ import annotations

from celery import shared_task

from growth.security.tenancy import trust_scope


@shared_task(name="reviews.tasks.render_statement_pdf", acks_late=True)
def render_statement_pdf(*, trust_id: int, pdf_id: int) -> str:
    from reviews.models import StatementPdf
    from reviews.services import statement_pdf_render

    with trust_scope(trust_id):
        pdf = StatementPdf.objects.filter(pk=pdf_id).first()
        if pdf is None:
            return "gone"
        try:
            return statement_pdf_render(pdf=pdf).status
        except Exception as exc:
            pdf.status = StatementPdf.Status.FAILED
            pdf.error = f"{type(exc).__name__}: {exc}"[:500]
            pdf.save(update_fields=["status", "error", "updated_at"])
            raise


@shared_task(name="reviews.tasks.build_school_zip", acks_late=True)
def build_school_zip(*, trust_id: int, zip_id: int) -> str:
    from reviews.models import SchoolZip
    from reviews.services import school_zip_build

    with trust_scope(trust_id):
        bundle = SchoolZip.objects.filter(pk=zip_id).first()
        if bundle is None:
            return "gone"
        return school_zip_build(bundle=bundle).status
