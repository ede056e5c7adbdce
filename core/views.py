from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from .access import is_staff_user
from .navigation import home_section


@login_required
def home(request):
    """Send each user to where their work is: staff to their role's home section."""
    if request.user.is_enterprise_user:
        return redirect("portal:home")
    section = home_section(request.user.role) if is_staff_user(request.user) else None
    if section is not None:
        return redirect(section.url_name)
    return redirect("accounts:login")
