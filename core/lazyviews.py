"""
Class-based views named by their dotted path and imported on first use.

The API's views are built on Django REST framework and drf-spectacular, and
importing them costs about a fifth of a second (DRF's serializers bring in
psycopg, requests, pygments and markdown). Every management command imports
the root URLconf for its system checks, so the API's URLconfs name their views
with `lazy_view`: the view's module is imported on the first request that
reaches it, or on the first `reverse()` (Django reads every pattern's view
then), never by `manage.py check`, a Celery worker or a test that does not use
the API. Once imported, the view answers and reads exactly as `View.as_view()`
does: every attribute (`csrf_exempt`, `view_class`, DRF's `cls` and
`initkwargs`, which the schema generator reads) is the real view's.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils.module_loading import import_string


class LazyView:
    """`Path.To.View.as_view(**initkwargs)`, built on first use."""

    def __init__(self, view_path: str, initkwargs: dict[str, Any]) -> None:
        self._view_path = view_path
        self._initkwargs = initkwargs
        self._view: Callable[..., HttpResponseBase] | None = None

    def _resolve(self) -> Callable[..., HttpResponseBase]:
        if self._view is None:
            self._view = import_string(self._view_path).as_view(**self._initkwargs)
        return self._view

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self._resolve()(request, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        # Only what the proxy itself lacks lands here: the view's attributes.
        # A copy being built has none of its own yet, and must not look for them forever.
        if name in ("_view_path", "_initkwargs", "_view"):
            raise AttributeError(name)
        return getattr(self._resolve(), name)

    def __repr__(self) -> str:
        return f"<LazyView {self._view_path}>"


def lazy_view(view_path: str, **initkwargs: Any) -> LazyView:
    """The view `view_path.as_view(**initkwargs)`, imported when first used."""
    return LazyView(view_path, initkwargs)
