from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import UnitYear
from .permissions import unit_year_for_view
from .selectors import home_rows


@login_required
def home(request):
    return render(request, "departments/home.html", {"rows": home_rows(request.user)})


@login_required
def year_detail(request, unit_code: str, year: int):
    unit_year = unit_year_for_view(request.user, unit_code=unit_code, year=year)
    return render(request, "departments/year_detail.html", {"unit_year": unit_year})


__all__ = ["home", "year_detail", "UnitYear"]
