"""Small real files of each kind an upload test needs, built in memory."""

import io
import zipfile

from PIL import Image

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
# The first sector of an OLE2 compound file (Word 97-2003, Excel, PowerPoint, WPS), zero-padded.
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
HTML = b"<!doctype html><script>fetch('/admin/auth/user/')</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)


def zip_of(members):
    """A zip archive holding ``members`` ({name: bytes})."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx():
    return zip_of(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
    )


def xlsx():
    return zip_of(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
        }
    )


def ofd():
    return zip_of({"OFD.xml": b'<?xml version="1.0"?><ofd:OFD/>', "Doc_0/Document.xml": b"<a/>"})


def picture(image_format="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(buffer, format=image_format)
    return buffer.getvalue()
