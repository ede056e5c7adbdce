from django.shortcuts import get_object_or_404, render

from core.access import staff_required

from .models import Enterprise


@staff_required
def enterprise_list(request):
    return render(request, "enterprises/list.html", {"enterprises": Enterprise.objects.all()[:50]})


@staff_required
def enterprise_detail(request, pk):
    return render(request, "enterprises/detail.html", {"enterprise": get_object_or_404(Enterprise, pk=pk)})
