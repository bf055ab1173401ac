"""Read side of batch generation: the years a user may batch, their recent jobs, a job's progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from departments.access import Access
from departments.models import Role

from .models import BatchJob, ItemStatus


def batch_years(access: Access) -> list[int]:
    """The years for which ``user`` may batch-generate PDFs: those of the units they lead
    (administrators: every unit), newest first. Empty: the user may not start a batch."""
    return list(access.years_with_role(Role.LEADER).order_by("-year").values_list("year", flat=True).distinct())


def batch_recent_jobs(user, *, limit: int = 10) -> list:
    """The user's latest batches (administrators: everyone's) with their counts."""
    return list(BatchJob.objects.for_user(user).with_counts().select_related("requested_by")[:limit])


@dataclass(frozen=True)
class BatchFailure:
    unit_code: str
    unit_name: str
    attempts: int
    error: str


@dataclass(frozen=True)
class BatchProgress:
    """What the progress page and its JSON show."""

    job: object
    total: int
    done: int
    failed: int
    failures: list[BatchFailure]

    @property
    def finished(self) -> bool:
        return self.job.is_finished

    @property
    def processed(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> int:
        return self.processed * 100 // self.total if self.total else 100

    def as_json(self) -> dict:
        return {
            "id": self.job.pk,
            "year": self.job.year,
            "status": self.job.status,
            "status_label": self.job.get_status_display(),
            "finished": self.finished,
            "total": self.total,
            "done": self.done,
            "failed": self.failed,
            "percent": self.percent,
            "failures": [
                {"unit_code": f.unit_code, "unit_name": f.unit_name, "attempts": f.attempts, "error": f.error}
                for f in self.failures
            ],
        }


def batch_job_for_view(user, pk: int):
    """The batch ``pk`` with its counts, if ``user`` may see it (else 404)."""
    return get_object_or_404(BatchJob.objects.for_user(user).with_counts(), pk=pk)


def batch_progress(job) -> BatchProgress:
    """``job`` from ``batch_job_for_view`` (counts annotated); one query for the failures."""
    failed_items = job.items.filter(status=ItemStatus.FAILED).select_related("unit_year__unit")
    failed_items = failed_items.order_by("unit_year__unit__code")
    failures = [
        BatchFailure(
            unit_code=item.unit_year.unit.code,
            unit_name=item.unit_year.unit.name,
            attempts=item.attempts,
            error=item.error,
        )
        for item in failed_items
    ]
    return BatchProgress(job=job, total=job.n_total, done=job.n_done, failed=job.n_failed, failures=failures)
