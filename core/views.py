from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from .access import is_staff_user
from .navigation import SECTIONS


@login_required
def home(request):
    """Send each user to where their work is: staff to the first section."""
    if request.user.is_enterprise_user:
        return redirect("portal:home")
    if is_staff_user(request.user) and SECTIONS:
        return redirect(SECTIONS[0].url_name)
    return redirect("accounts:login")
