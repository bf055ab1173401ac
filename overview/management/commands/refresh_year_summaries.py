from django.core.management.base import BaseCommand

from overview.summaries import year_summaries_refresh_all


class Command(BaseCommand):
    help = "重新计算全部单位总览的年度汇总（总分、等级、执行率、三公经费、指标质量问题数）。批量导入数据后运行。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="只重新计算这一年度。")

    def handle(self, *args, year: int | None = None, **options):
        count = year_summaries_refresh_all(year=year)
        self.stdout.write(self.style.SUCCESS(f"已重新计算 {count} 个年度汇总。"))
