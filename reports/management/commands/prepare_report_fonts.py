"""Build the report's font subsets into VAR_DIR at deploy time (``reports.fonts``), so no app
process or worker builds them on its first PDF; then render a small document to check them."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Build the report's font subsets (VAR_DIR/cache/report-fonts) and check them with a small PDF."

    def handle(self, *args, **options) -> None:
        from reports import fonts, pdf

        started = time.perf_counter()
        built = fonts.report_fonts()
        for face in fonts.FACES:
            state = f"{len(built[face.key]) // 1024} KiB" if face.key in built else "未找到字体，报告将使用系统字体"
            self.stdout.write(f"{face.family}（{face.pattern}）：{state}")
        pdf.warm_up()
        self.stdout.write(f"报告字体已就绪，用时 {time.perf_counter() - started:.1f} 秒。")
