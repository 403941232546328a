"""Resized WebP variants of hero and body images, so cards and phones never download the
original, and the srcset that offers them."""

import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

VARIANT_WIDTHS = (480, 960, 1600)
WEBP_QUALITY = 80


def build_variants(image_field) -> dict:
    """Write one WebP per width narrower than the original; return {"source", "widths"}."""
    with image_field.open("rb") as source:
        original = ImageOps.exif_transpose(Image.open(source))
        original.load()
    if original.mode not in ("RGB", "RGBA"):
        original = original.convert("RGB")

    stem = PurePosixPath(image_field.name)
    widths = {}
    # Never upscale: a small original gets one variant at its own width.
    for target_width in sorted({min(width, original.width) for width in VARIANT_WIDTHS}):
        height = round(original.height * target_width / original.width)
        resized = original.resize((target_width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        resized.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
        name = str(stem.parent / "variants" / f"{stem.stem}-{target_width}.webp")
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(buffer.getvalue()))
        widths[str(target_width)] = saved
    return {"source": image_field.name, "widths": widths}


def variant_urls(variants: dict) -> list[tuple[int, str]]:
    """(width, URL) of each variant, narrowest first."""
    widths = variants.get("widths", {}) if variants else {}
    return sorted((int(width), default_storage.url(name)) for width, name in widths.items())


def srcset(variants: dict) -> str:
    return ", ".join(f"{url} {width}w" for width, url in variant_urls(variants))
