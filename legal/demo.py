"""Demo data: the demo's issuing agency with its level, government, portal, contact, 版记 and demo seal."""

import io
import math

from django.core.files.base import ContentFile

from .models import Agency, AgencyLevel

DEMO_AGENCY = "北京市互联网信息办公室"
SEAL_FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
SEAL_RED = (230, 0, 18, 255)


def demo_seal_png(name: str) -> bytes:
    """
    A seal image for the demo: the agency's name round a red ring, a star,
    and "演示用章 非正式" across it, so that nobody mistakes it for a real seal.
    """
    from PIL import Image, ImageDraw, ImageFont

    size = 480
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = size / 2
    draw.ellipse((8, 8, size - 8, size - 8), outline=SEAL_RED, width=14)
    star = [(centre + (60 if i % 2 == 0 else 23) * math.sin(math.radians(36 * i)),
             centre - 10 - (60 if i % 2 == 0 else 23) * math.cos(math.radians(36 * i))) for i in range(10)]
    draw.polygon(star, fill=SEAL_RED)
    font = ImageFont.truetype(SEAL_FONT, 44)
    # The name along the upper arc, each character turned to face the centre.
    span = min(240.0, 22.0 * len(name))
    for i, char in enumerate(name):
        angle = -span / 2 + span * (i + 0.5) / len(name)
        glyph = Image.new("RGBA", (56, 56), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((28, 28), char, font=font, fill=SEAL_RED, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.Resampling.BICUBIC)
        radius = size / 2 - 60
        x = centre + radius * math.sin(math.radians(angle)) - 28
        y = centre - radius * math.cos(math.radians(angle)) - 28
        image.alpha_composite(glyph, (round(x), round(y)))
    small = ImageFont.truetype(SEAL_FONT, 38)
    draw.text((centre, centre + 90), "演示用章 非正式", font=small, fill=SEAL_RED, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def seed_agencies(ctx: dict) -> None:
    agency, _created = Agency.objects.update_or_create(name=DEMO_AGENCY, defaults={
        "short_name": "我办", "level": AgencyLevel.MUNICIPAL, "government": "北京市人民政府",
        "portal_name": "北京市互联网信息办公室网上执法平台",
        "portal_url": "https://zhifa.example.gov.cn/",
        "address": "北京市东城区示例路1号", "telephone": "010-55550123", "contact_person": "陈主管",
        "copy_to": "国家互联网信息办公室，北京市市场监督管理局",
        "printed_by": "北京市互联网信息办公室秘书处",
    })
    if not agency.seal_image:
        agency.seal_image.save("demo-seal.png", ContentFile(demo_seal_png(agency.name)))
