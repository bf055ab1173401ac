"""Batch report generation: one ``BatchJob`` per request ("every unit's PDF for year N"),
one ``BatchItem`` per unit-year. The state lives here (not in a task-result backend), so the
progress page survives a reload and any app process can show it.

The PDFs are files in Django's default storage (MEDIA_ROOT, ``var/media`` by default): they
are derived documents that can be generated again at any time, so they are kept out of the
database (and its backups), and the zip download streams them from storage one by one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q

from departments.access import Access
from departments.models import Role, UnitYear


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "完成"
    DONE_WITH_FAILURES = "failed", "完成（有失败）"


class ItemStatus(models.TextChoices):
    PENDING = "pending", "等待生成"
    RUNNING = "running", "生成中"
    RETRYING = "retrying", "等待重试"
    DONE = "done", "已生成"
    FAILED = "failed", "失败"


OPEN_ITEM_STATUSES = (ItemStatus.PENDING, ItemStatus.RUNNING, ItemStatus.RETRYING)


class BatchJobQuerySet(models.QuerySet):
    def for_user(self, user) -> BatchJobQuerySet:
        """Administrators see every batch; anyone else only the batches they started."""
        access = Access.for_user(user)
        if not access.is_authenticated:
            return self.none()
        if access.is_admin:
            return self
        return self.filter(requested_by=user)

    def with_counts(self) -> BatchJobQuerySet:
        """Done / failed / total from the items, in the same query (no counters to race on)."""
        return self.annotate(
            n_total=Count("items"),
            n_done=Count("items", filter=Q(items__status=ItemStatus.DONE)),
            n_failed=Count("items", filter=Q(items__status=ItemStatus.FAILED)),
        )


class BatchJob(models.Model):
    year = models.PositiveSmallIntegerField("年度")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=16, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    backend = models.CharField("执行方式", max_length=16, blank=True, help_text="celery 或 thread（应用进程内）。")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = BatchJobQuerySet.as_manager()

    class Meta:
        verbose_name = "批量生成任务"
        verbose_name_plural = "批量生成任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="batchjob_user_created")]

    def __str__(self) -> str:
        return f"{self.year}年度批量生成 #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (BatchStatus.DONE, BatchStatus.DONE_WITH_FAILURES)


class BatchItemQuerySet(models.QuerySet):
    def for_user(self, user) -> BatchItemQuerySet:
        """Items of the unit-years ``user`` may still batch-generate (leaders of the unit,
        administrators): a leader who left a unit no longer downloads its PDF."""
        access = Access.for_user(user)
        if access.is_admin:
            return self
        return self.filter(unit_year__in=access.years_with_role(Role.LEADER).values("pk"))


def batch_pdf_path(item: BatchItem, filename: str) -> str:
    return f"reports/batches/{item.job_id}/{filename}"


class BatchItem(models.Model):
    job = models.ForeignKey(BatchJob, verbose_name="批量任务", on_delete=models.CASCADE, related_name="items")
    unit_year = models.ForeignKey(UnitYear, verbose_name="年度自评", on_delete=models.CASCADE, related_name="+")
    status = models.CharField("状态", max_length=16, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.TextField("错误信息", blank=True)
    pdf = models.FileField("PDF", upload_to=batch_pdf_path, blank=True, max_length=255)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = BatchItemQuerySet.as_manager()

    class Meta:
        verbose_name = "批量生成条目"
        verbose_name_plural = "批量生成条目"
        ordering = ["job", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "unit_year"],
                name="batchitem_unique_job_unit_year",
                violation_error_message="同一批量任务中每个单位年度只生成一次。",
            ),
        ]
        indexes = [models.Index(fields=["job", "status"], name="batchitem_job_status")]

    def __str__(self) -> str:
        return f"#{self.job_id} {self.unit_year_id} {self.get_status_display()}"
