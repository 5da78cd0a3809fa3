"""Revisions (django-reversion) shared by every app, so that no saved edit is ever lost.

Apps register their models in ``AppConfig.ready()`` with ``reversion.register(...)``; the admin
side (history, compare, restore, recover, edit conflicts) is
``portal.admin_mixins.NoLostEditsAdminMixin``.

Three guarantees live here:

- ``AdminRevisionMiddleware``: every POST to the admin runs inside one revision whose user is
  the signed-in user. A save of a registered model made anywhere in the admin (the change form,
  a workflow button, an import, an action that calls ``save()``) therefore leaves a revision,
  even in a view that never heard of django-reversion. Views describe what they did with
  ``reversion.set_comment(...)``; otherwise the revision says ``DEFAULT_COMMENT``.
- ``save_snapshot()``: a revision of objects as they are now, committed at once. The admin takes
  one just before it deletes, so that whatever was deleted can be recovered from
  "恢复已删除的…", even an object nobody had saved since revisions were switched on.
- ``changes_since()``: who saved an object after a given revision, for the conflict message.
"""

from contextlib import contextmanager

import reversion
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from reversion import revisions as _reversion_internals
from reversion.models import Version

DEFAULT_COMMENT = _("在管理后台修改")
DELETE_SNAPSHOT_COMMENT = _("删除前的版本")
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AdminRevisionMiddleware:
    """Wrap each state-changing admin request in a revision (and so in a transaction).

    Only the admin: the public site saves no registered model, and its POSTs (the view-count
    beacon) need no transaction. Nested ``reversion.create_revision()`` blocks, such as the
    ones ``VersionAdmin`` opens, merge into this one.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._prefix = None

    @property
    def prefix(self):
        if self._prefix is None:
            self._prefix = reverse("admin:index")
        return self._prefix

    def __call__(self, request):
        if request.method in _SAFE_METHODS or not request.path.startswith(self.prefix):
            return self.get_response(request)
        with reversion.create_revision():
            reversion.set_comment(str(DEFAULT_COMMENT))
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and reversion.get_user() is None:
                reversion.set_user(user)
            return response


@contextmanager
def _outside_current_revision():
    # django-reversion only writes a revision when its outermost block ends. A snapshot taken
    # before a deletion must be written before the objects go, even when the request is
    # already inside a revision (AdminRevisionMiddleware, VersionAdmin.changelist_view): so it
    # gets a block of its own. Pinned django-reversion; tests/portal/test_revisions.py covers it.
    token = _reversion_internals._stack.set([])
    try:
        yield
    finally:
        _reversion_internals._stack.reset(token)


def save_snapshot(objects, *, user=None, comment=DELETE_SNAPSHOT_COMMENT):
    """Write one revision now with the current state of ``objects`` (and what they follow).

    Objects of models not registered with django-reversion are ignored.
    """
    objects = [obj for obj in objects if reversion.is_registered(type(obj))]
    if not objects:
        return
    with _outside_current_revision(), reversion.create_revision():
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(str(comment))
        for obj in objects:
            reversion.add_to_revision(obj)


def latest_version(obj):
    """The newest revision of ``obj`` (a Version with its revision and user), or None."""
    return (
        Version.objects.get_for_object(obj).select_related("revision__user").order_by("-pk").first()
    )


def changes_since(obj, version_id):
    """Versions of ``obj`` saved after the version ``version_id`` (None: all), oldest first."""
    versions = Version.objects.get_for_object(obj).select_related("revision__user")
    if version_id is not None:
        versions = versions.filter(pk__gt=version_id)
    return list(versions.order_by("pk"))
