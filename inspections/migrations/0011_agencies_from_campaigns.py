"""
Every campaign's issuing agency becomes a row of agency data (legal.Agency):
level and people's government guessed from the name, portal, telephone and
contact person left for an administrator (documents are refused until then).
"""

import re

from django.db import migrations

LOCAL = re.compile(r"^(?P<place>.*?(?:自治区|省|市|自治州|州|盟|地区)?(?:.*?(?:区|县|旗|市))?)(?:互联网信息办公室|网信办|网信委员会办公室)")


def guess_level_and_government(name: str) -> tuple[str, str]:
    if name.startswith("国家") or name.startswith("中央"):
        return "national", ""
    match = LOCAL.match(name)
    place = match["place"] if match else ""
    if not place:
        return "municipal", ""
    if place.endswith(("省", "自治区")):
        level = "provincial"
    elif place.endswith(("区", "县", "旗")) or (place.count("市") >= 2):
        level = "district"
    else:
        level = "municipal"
    return level, f"{place}人民政府"


def forwards(apps, schema_editor):
    Campaign = apps.get_model("inspections", "Campaign")
    Agency = apps.get_model("legal", "Agency")
    for name in Campaign.objects.values_list("agency", flat=True).distinct():
        if name and not Agency.objects.filter(name=name).exists():
            level, government = guess_level_and_government(name)
            Agency.objects.create(name=name, level=level, government=government)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0010_inspection_origin"),
        ("legal", "0001_agencies"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
