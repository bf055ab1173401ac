import os

from django.core.management.base import BaseCommand

from demo import data as demo_data
from demo.load import demo_load


class Command(BaseCommand):
    help = "载入演示数据（安化县人大常委会办公室 2024 年度自评报告）和各角色演示账号。重复运行不会改变数据。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="删除并重新载入演示年度的数据。")
        parser.add_argument(
            "--port", type=int, default=None, help="打印的登录地址所用端口（默认取环境变量 PORT，否则 8000）。"
        )

    def handle(self, *args, reset: bool = False, port: int | None = None, **options):
        port = port or int(os.environ.get("PORT") or 8000)
        result = demo_load(reset=reset)
        verb = "已载入" if result.created else "已存在，未改动"
        self.stdout.write(self.style.SUCCESS(f"演示数据{verb}：{result.unit_year}"))
        self.stdout.write("演示账号（用户名 / 角色 / 密码）：")
        for username, role, password in result.accounts:
            self.stdout.write(f"  {username:<10} {role:<8} {password}")
        self.stdout.write(f"登录地址：http://127.0.0.1:{port}/accounts/login/  （演示密码：{demo_data.DEMO_PASSWORD}）")
