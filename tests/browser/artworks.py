"""Pictures made in the test run for the browser tests: distinct enough that the gallery's
near-duplicate check never mistakes one for another, colourful enough to judge a screenshot by."""

from __future__ import annotations

import random
from io import BytesIO

from PIL import Image, ImageDraw, ImageFilter

PALETTES = [
    [(255, 190, 120), (240, 110, 90), (90, 40, 80)],
    [(150, 210, 255), (40, 110, 190), (10, 30, 70)],
    [(200, 240, 180), (90, 170, 110), (30, 70, 50)],
    [(255, 230, 150), (230, 150, 50), (120, 60, 20)],
    [(230, 200, 255), (150, 100, 220), (50, 30, 100)],
    [(255, 200, 220), (220, 90, 140), (90, 20, 60)],
]


def artwork(seed: int, size: tuple[int, int] = (960, 720)) -> Image.Image:
    """A sky, a sun and layered hills, arranged by the seed."""
    rng = random.Random(seed)
    light, mid, dark = PALETTES[seed % len(PALETTES)]
    w, h = size
    image = Image.linear_gradient("L").resize(size).rotate(rng.choice((0, 180)))
    sky = Image.composite(Image.new("RGB", size, mid), Image.new("RGB", size, light), image)
    draw = ImageDraw.Draw(sky)
    sx, sy = rng.randrange(w // 8, w - w // 8), rng.randrange(h // 8, h // 2)
    r = rng.randrange(40, 120)
    draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=(255, 250, 235))
    for layer in range(rng.randrange(2, 5)):
        base = h // 2 + layer * h // 8 + rng.randrange(-40, 40)
        points = [(0, h)] + [(x, base + rng.randrange(-90, 90)) for x in range(0, w + 160, 160)]
        shade = tuple(int(c * (1 - 0.18 * layer)) for c in dark)
        draw.polygon([*points, (w, h)], fill=shade)
    for _ in range(rng.randrange(3, 8)):
        x, y = rng.randrange(w), rng.randrange(h)
        draw.rectangle(
            (x, y, x + rng.randrange(30, 200), y + rng.randrange(30, 200)),
            fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)),
        )
    return sky.filter(ImageFilter.SMOOTH)


def artwork_jpeg(seed: int) -> bytes:
    buffer = BytesIO()
    artwork(seed).save(buffer, "JPEG", quality=88)
    return buffer.getvalue()
