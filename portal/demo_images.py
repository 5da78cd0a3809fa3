"""Pictures for the demo district, drawn with Pillow (no photo is copied from anywhere)."""

import io
import math
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

PALETTES = [
    ((183, 24, 30), (236, 178, 60)),
    ((143, 17, 22), (250, 226, 170)),
    ((30, 91, 184), (230, 240, 250)),
    ((46, 125, 50), (232, 245, 233)),
    ((121, 85, 72), (245, 235, 220)),
    ((84, 60, 140), (236, 230, 248)),
]


def demo_picture(seed, size=(960, 540), kind="photo"):
    """A JPEG (``photo``) or PNG (``logo``) that looks like a plausible illustration.

    The same seed always gives the same picture, so a re-run of load_demo is reproducible.
    """
    rng = random.Random(seed)
    dark, light = rng.choice(PALETTES)
    width, height = size
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    if kind == "logo":
        draw.ellipse((width * 0.08, height * 0.08, width * 0.92, height * 0.92), fill=dark)
        draw.ellipse((width * 0.22, height * 0.22, width * 0.78, height * 0.78), fill=light)
        _star(draw, width / 2, height / 2, min(size) * 0.22, dark)
        buffer = io.BytesIO()
        image.save(buffer, "PNG", optimize=True)
        return ContentFile(buffer.getvalue(), name=f"demo-{seed}.png")
    # A sky, a horizon, a building with a flag, and a crowd of simple figures.
    for y in range(height):
        t = y / height
        colour = tuple(int(light[i] * (1 - t) + dark[i] * t * 0.35 + 40 * t) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)
    base = int(height * rng.uniform(0.55, 0.7))
    draw.rectangle((0, base, width, height), fill=tuple(max(c - 60, 0) for c in light))
    left = int(width * rng.uniform(0.15, 0.45))
    top = int(base - height * rng.uniform(0.25, 0.4))
    draw.rectangle((left, top, left + int(width * 0.35), base), fill=(235, 232, 225))
    for column in range(6):
        x = left + 14 + column * int(width * 0.055)
        for row in range(3):
            y = top + 14 + row * int(height * 0.08)
            draw.rectangle((x, y, x + 20, y + 24), fill=(150, 175, 200))
    pole = left + int(width * 0.175)
    draw.line([(pole, top), (pole, top - int(height * 0.18))], fill=(90, 90, 90), width=3)
    draw.rectangle(
        (pole, top - int(height * 0.18), pole + 60, top - int(height * 0.18) + 40), fill=dark
    )
    for _ in range(rng.randint(12, 30)):
        x = rng.randint(0, width)
        y = rng.randint(base + 10, height - 10)
        r = rng.randint(6, 12)
        shirt = rng.choice([dark, (255, 255, 255), (40, 60, 120)])
        draw.ellipse((x - r, y - 3 * r, x + r, y - r), fill=(60, 45, 35))
        draw.rectangle((x - r, y - r, x + r, y + 2 * r), fill=shirt)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=78, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"demo-{seed}.jpg")


def _star(draw, cx, cy, radius, fill):
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.4
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=fill)
