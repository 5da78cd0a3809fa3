"""The rich-text editor's image upload, in place of django-ckeditor-5's own view.

Same address and answer shape as the package (``{"url": …}`` or ``{"error": {"message": …}}``,
which CKEditor shows to the editor), but every picture passes ``portal.images.prepared_image``
(checked, metadata removed, long edge capped) and the messages are Chinese; the CSRF token
arrives in the ``X-CSRFToken`` header the package's JavaScript sends.
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .images import EditorImageStorage, prepared_image


def _error(message, status):
    return JsonResponse({"error": {"message": str(message)}}, status=status)


@require_POST
def upload_image(request):
    if not (request.user.is_active and request.user.is_staff):
        return _error(_("您没有上传图片的权限，请先以工作人员身份登录。"), 403)
    upload = request.FILES.get("upload")
    if upload is None:
        return _error(_("没有收到图片文件，请重新选择。"), 400)
    try:
        image = prepared_image(upload)
    except ValidationError as error:
        return _error(error.messages[0], 400)
    storage = EditorImageStorage()
    return JsonResponse({"url": storage.url(storage.save(image.name, image))})
