import re

from portal.uploads import DatedRandomPath


def test_upload_path_has_date_folder_and_random_name():
    upload_to = DatedRandomPath("covers")
    first = upload_to(None, "党建活动 照片.JPG")
    second = upload_to(None, "党建活动 照片.JPG")
    assert re.fullmatch(r"covers/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", first)
    assert first != second
    assert "党建" not in first
