"""Files people upload (signed consent forms, scanned or photographed): which kinds are
taken, how large, and under which name they are kept.

The kind is read from the file's first bytes, never from its name or the content type the
browser sent: both are the uploader's choice. Five signatures, written out here rather than
taken from a library, because a phone's camera and a scanner give only these."""

from django.conf import settings
from django.utils.translation import gettext as _

# kind -> (extension, MIME type). HEIC is what an iPhone's camera saves by default.
KINDS = {
    "pdf": ("pdf", "application/pdf"),
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
    "webp": ("webp", "image/webp"),
    "heic": ("heic", "image/heic"),
}
# ISO base media files (HEIF) name their brand at bytes 8-12 after "ftyp" at 4-8.
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


def sniff(head: bytes) -> str | None:
    """The kind of a file from its first bytes (16 are enough), or None when it is none of KINDS."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return "heic"
    return None


def size_refusal(upload) -> str:
    """Why a file is too large to take, or "" (every upload, whatever its kind)."""
    limit = settings.MAILLAGE_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is None or size > limit:
        return _("The file is larger than %(size)s MB.") % {"size": f"{limit / 1024 / 1024:g}"}
    return ""


def check_upload(upload, name: str, errors: dict) -> str | None:
    """The kind of an uploaded file, after checking its size and its first bytes. A refusal
    is added to `errors` under `name` (the service's field → messages) and None returned.
    On success the file's name becomes `<name>.<extension of its kind>`, so the uploaded name
    never chooses the extension the file is stored (and later served) under."""
    refusal = size_refusal(upload)
    if refusal:
        errors[name] = [refusal]
        return None
    if upload.size == 0:
        errors[name] = [_("The file is empty.")]
        return None
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind is None:
        errors[name] = [_("Upload a PDF or a photo (JPEG, PNG, WebP or HEIC).")]
        return None
    upload.name = f"{name}.{KINDS[kind][0]}"
    return kind


def stored_extension(filename: str) -> str:
    """The extension a stored upload keeps: one of KINDS' (check_upload named the file),
    anything else "bin", which no browser renders as a page."""
    extension = filename.rpartition(".")[2].lower()
    return extension if extension in {ext for ext, _mime in KINDS.values()} else "bin"
