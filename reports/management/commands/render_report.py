"""Batch rendering: python manage.py render_report --unit <code or name> --year <year>
--format html|pdf|docx|xlsx --output <file>"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from departments.models import Unit
from reports import services
from reports.data import report_queryset
from reports.pdf import ReportRenderTimeout

FORMATS = ("html", "pdf", "docx", "xlsx")


class Command(BaseCommand):
    help = "生成单位年度自评报告（HTML / PDF / Word）或自评表（Excel）并写入文件。"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="单位编码或单位名称")
        parser.add_argument("--year", required=True, type=int, help="年度，如 2024")
        parser.add_argument(
            "--format", required=True, choices=FORMATS, dest="fmt", help="html、pdf、docx（Word）或 xlsx"
        )
        parser.add_argument("--output", required=True, help="输出文件路径（“-”表示标准输出，仅限 html）")

    def handle(self, *args, unit: str, year: int, fmt: str, output: str, **options):
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            by_name = list(Unit.objects.filter(name=unit)[:2])
            if not by_name:
                raise CommandError(f"找不到单位“{unit}”（请提供单位编码或单位名称）。")
            if len(by_name) > 1:
                raise CommandError(f"名称为“{unit}”的单位不止一个，请改用单位编码。")
            found = by_name[0]
        unit_year = report_queryset().filter(unit=found, year=year).first()
        if unit_year is None:
            years = list(found.years.order_by("-year").values_list("year", flat=True))
            known = "、".join(str(y) for y in years) or "无"
            raise CommandError(f"单位“{found.name}”没有 {year} 年度的自评（已有年度：{known}）。")
        try:
            rendered = services.report_render(unit_year=unit_year, fmt=fmt)
        except ReportRenderTimeout as exc:
            raise CommandError(str(exc)) from exc
        if output == "-":
            if fmt != "html":
                raise CommandError("只有 html 格式可以输出到标准输出。")
            self.stdout.write(rendered.content.decode("utf-8"))
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"输出目录不存在：{path.parent}")
        path.write_bytes(rendered.content)
        self.stdout.write(self.style.SUCCESS(f"已生成 {path}（{len(rendered.content)} 字节）"))
