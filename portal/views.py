from django.shortcuts import render

from core.access import enterprise_user_required


@enterprise_user_required
def home(request):
    """The enterprise's own home: its registry record and, later, its cases."""
    return render(request, "portal/home.html", {"enterprise": request.user.enterprise})
