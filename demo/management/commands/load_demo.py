import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from demo import data as demo_data
from demo.load import demo_load


class Command(BaseCommand):
    help = "载入演示数据（安化县人大常委会办公室 2024 年度自评报告）和各角色演示账号。重复运行不会改变数据。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="删除并重新载入演示年度的数据。")
        parser.add_argument(
            "--finalised",
            action="store_true",
            help="载入已完成的演示年度：按默认权重评分、评价小组确认、数据校验问题已说明并定稿。",
        )
        parser.add_argument(
            "--no-county",
            action="store_true",
            help="不载入示例县（30 个示例单位、2022—2024 三个年度），只载入参照单位。",
        )
        parser.add_argument(
            "--port", type=int, default=None, help="打印的登录地址所用端口（默认取环境变量 PORT，否则 8000）。"
        )

    def handle(
        self,
        *args,
        reset: bool = False,
        finalised: bool = False,
        no_county: bool = False,
        port: int | None = None,
        **options,
    ):
        port = port or int(os.environ.get("PORT") or 8000)
        try:
            result = demo_load(reset=reset, finalised=finalised, county=not no_county)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        verb = "已载入" if result.created else "已存在，未改动"
        self.stdout.write(self.style.SUCCESS(f"演示数据{verb}：{result.unit_year}"))
        if finalised:
            state = "已评分并定稿" if result.finalised else "已是定稿状态，未改动"
            self.stdout.write(self.style.SUCCESS(f"演示年度{state}（状态：{result.unit_year.get_status_display()}）。"))
        self.stdout.write("演示账号（用户名 / 角色 / 密码）：")
        for username, role, password in result.accounts:
            self.stdout.write(f"  {username:<10} {role:<8} {password}")
        if result.county is not None:
            county = result.county
            first, last = county.usernames
            self.stdout.write(
                f"示例县（数据为生成的示例，非真实）{'已载入' if county.created else '已存在，未改动'}："
                f"{county.units} 个单位、{county.years} 个年度（2022—2024，各流程状态均有），"
                f"admin 可在“全部单位”中查看；"
                f"各单位账号 {first} … {last}（另有 _leader、_evaluator），密码同上。"
            )
        self.stdout.write(f"登录地址：http://127.0.0.1:{port}/accounts/login/  （演示密码：{demo_data.DEMO_PASSWORD}）")
