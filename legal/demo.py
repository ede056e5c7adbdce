"""Demo data: the demo's issuing agency with its level, government, portal and contact."""

from .models import Agency, AgencyLevel

DEMO_AGENCY = "北京市互联网信息办公室"


def seed_agencies(ctx: dict) -> None:
    Agency.objects.update_or_create(name=DEMO_AGENCY, defaults={
        "short_name": "我办", "level": AgencyLevel.MUNICIPAL, "government": "北京市人民政府",
        "portal_name": "北京市互联网信息办公室网上执法平台",
        "portal_url": "https://zhifa.example.gov.cn/",
        "address": "北京市东城区示例路1号", "telephone": "010-55550123", "contact_person": "陈主管",
    })
