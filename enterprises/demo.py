"""
Fictional demo data: Beijing enterprises with valid USCCs, their services,
filings, provider codes and contacts, and one account per role.

Everything is drawn from the `random.Random` passed in, so a seed gives the
same registry every time. `generate_enterprises` is pure (no database), which
keeps the determinism testable; `seed_enterprises` writes through the
services, so the demo data also has an audit trail.
"""

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model

from accounts.models import Role

from . import identifiers
from .models import District, Enterprise, EnterpriseStatus, GenAIFiling, RiskTier, Service
from .services import enterprise_create

DEMO_PASSWORD = "LabelWatch-demo-2026"
DEMO_COUNT = 160

# (brand, pinyin used in domains and filing numbers)
BRANDS = [
    ("星河", "xinghe"), ("智算", "zhisuan"), ("云帆", "yunfan"), ("灵犀", "lingxi"),
    ("墨语", "moyu"), ("深蓝", "shenlan"), ("明镜", "mingjing"), ("天工", "tiangong"),
    ("数智", "shuzhi"), ("极光", "jiguang"), ("青云", "qingyun"), ("鸿图", "hongtu"),
    ("千帆", "qianfan"), ("知行", "zhixing"), ("博观", "boguan"), ("光年", "guangnian"),
    ("九章", "jiuzhang"), ("启元", "qiyuan"), ("万象", "wanxiang"), ("睿思", "ruisi"),
    ("听风", "tingfeng"), ("画境", "huajing"), ("声临", "shenglin"), ("幻影", "huanying"),
    ("未来", "weilai"), ("点石", "dianshi"), ("清言", "qingyan"), ("方舟", "fangzhou"),
    ("锦书", "jinshu"), ("奇点", "qidian"), ("长风", "changfeng"), ("晨曦", "chenxi"),
    ("北辰", "beichen"), ("远图", "yuantu"), ("妙笔", "miaobi"), ("乐章", "yuezhang"),
    ("视界", "shijie"), ("知微", "zhiwei"), ("澄明", "chengming"), ("海纳", "haina"),
]
TRADES = [
    ("智能科技有限公司", "Tech"), ("智算科技有限公司", "Compute"),
    ("网络技术有限公司", "Net"), ("信息技术有限公司", "IT"),
    ("人工智能科技有限公司", "AI"), ("数字科技有限公司", "Digital"),
    ("文化传媒有限公司", "Media"), ("软件有限公司", "Soft"),
]
# Most of Beijing's AI firms sit in Haidian (Zhongguancun) and Chaoyang.
DISTRICT_WEIGHTS = [
    (District.HAIDIAN, 45), (District.CHAOYANG, 25), (District.DONGCHENG, 5),
    (District.XICHENG, 5), (District.FENGTAI, 4), (District.SHIJINGSHAN, 4),
    (District.CHANGPING, 4), (District.DAXING, 4), (District.TONGZHOU, 2), (District.SHUNYI, 2),
]
# Fixed Chinese names: the data must not depend on the active language.
DISTRICT_NAMES = {
    District.HAIDIAN: "海淀区", District.CHAOYANG: "朝阳区", District.DONGCHENG: "东城区",
    District.XICHENG: "西城区", District.FENGTAI: "丰台区", District.SHIJINGSHAN: "石景山区",
    District.CHANGPING: "昌平区", District.DAXING: "大兴区", District.TONGZHOU: "通州区",
    District.SHUNYI: "顺义区",
}
STREETS = {
    District.HAIDIAN: ["中关村大街", "海淀大街", "知春路", "上地十街", "北四环西路", "丹棱街"],
    District.CHAOYANG: ["建国路", "望京街", "酒仙桥路", "东三环北路", "阜通东大街"],
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "婷", "强", "欣怡", "子涵",
         "浩然", "思远", "雨桐", "一鸣", "嘉怡"]
TITLES = ["合规负责人", "法务经理", "安全总监", "产品经理", "内容审核主管"]
SERVICE_PRODUCTS = [
    ("助手", ["text"]), ("写作", ["text"]), ("AI绘画", ["image"]), ("视频生成", ["video"]),
    ("配音", ["audio"]), ("数字人", ["video", "audio"]), ("开放平台", ["text", "image"]),
    ("翻译", ["text"]), ("音乐", ["audio"]), ("虚拟空间", ["virtual_scene"]),
    ("短视频", ["video", "image", "text"]), ("社区", ["text", "image"]),
]
ALGORITHMS = ["文本生成算法", "图像生成算法", "语音合成算法", "视频生成算法", "个性化推送算法",
              "检索式问答算法", "深度合成算法"]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _date(rng: random.Random, start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(days))


def _uscc(rng: random.Random, region: str, taken: set[str]) -> str:
    while True:
        body = "MA0" + "".join(rng.choice(identifiers.USCC_ALPHABET) for _ in range(6))
        code = identifiers.uscc_complete(f"91{region}{body}")
        if code not in taken:
            taken.add(code)
            return code


def generate_enterprises(*, rng: random.Random, count: int = DEMO_COUNT) -> list[dict[str, Any]]:
    """Draw `count` enterprise records ({"fields", "children"}); no database."""
    records: list[dict[str, Any]] = []
    names: set[str] = set()
    usccs: set[str] = set()
    districts = [d for d, _w in DISTRICT_WEIGHTS]
    weights = [w for _d, w in DISTRICT_WEIGHTS]
    while len(records) < count:
        (brand, pinyin), (trade, trade_en) = rng.choice(BRANDS), rng.choice(TRADES)
        name = f"北京{brand}{trade}"
        if name in names:
            continue
        names.add(name)
        district = rng.choices(districts, weights)[0]
        uscc = _uscc(rng, district.value, usccs)
        domain = f"{pinyin}{trade_en.lower()}.com.cn"
        street = rng.choice(STREETS.get(district, ["科技园路", "创新大道", "文化街"]))
        score = min(100, max(0, int(rng.gauss(50, 22))))
        tier = RiskTier.HIGH if score >= 70 else RiskTier.MEDIUM if score >= 40 else RiskTier.LOW
        generation = rng.random() < 0.75
        platform = rng.random() < (0.35 if generation else 0.8)
        fields = {
            "name": name,
            "uscc": uscc,
            "district": district,
            "address": f"北京市{DISTRICT_NAMES[district]}{street}{rng.randint(1, 300)}号",
            "legal_representative": _person(rng),
            "is_generation_provider": generation,
            "is_dissemination_platform": platform or not generation,
            "is_app_store": rng.random() < 0.05,
            "is_technical_supporter": rng.random() < 0.3,
            "user_agreement_url": f"https://www.{domain}/legal/agreement",
            "risk_tier": tier,
            "risk_score": score,
            "status": EnterpriseStatus.ACTIVE if rng.random() < 0.93 else rng.choice(
                [EnterpriseStatus.SUSPENDED, EnterpriseStatus.CLOSED]),
            "internal_notes": "",
        }
        services: list[dict[str, Any]] = []
        for product, modalities in rng.sample(SERVICE_PRODUCTS, rng.randint(1, 3)):
            kind = rng.choice(Service.Kind.values)
            services.append({
                "name": f"{brand}{product}",
                "kind": kind,
                "url": f"https://{'api' if kind == 'api' else 'www'}.{domain}/p{len(services) + 1}",
                **{f"has_{m}": True for m in modalities},
                "monthly_aigc_volume": int(rng.lognormvariate(10, 1.6)),
            })
        algorithm_filings = [
            {
                "number": f"网信算备{district.value}{rng.randrange(10**7):07d}"
                          f"{rng.randint(2022, 2026) % 100:02d}{rng.randrange(10**6):06d}号",
                "algorithm_name": rng.choice(ALGORITHMS),
                "filed_on": _date(rng, datetime.date(2022, 3, 1), 1500),
            }
            for _ in range(rng.randint(0 if not generation else 1, 2))
        ]
        genai_filings = []
        if generation and rng.random() < 0.7:
            kind = rng.choice(GenAIFiling.Kind.values)
            filed = _date(rng, datetime.date(2023, 8, 1), 1000)
            genai_filings.append({
                "kind": kind,
                "number": f"Beijing-{pinyin.capitalize()}{trade_en}-{filed:%Y%m%d}"
                          + ("" if kind == GenAIFiling.Kind.FILING else "-DJ"),
                "model_name": f"{brand}大模型",
                "filed_on": filed,
            })
        # PG-20252A: 0011, the USCC, then the service extension: 1 (a
        # generation service) and a 4-character model code. Five draws as
        # before, so the rest of the demo stays the same.
        extension = "".join(rng.choice("0123456789") for _ in range(5))
        provider_codes = [{"code": f"0011{uscc}1{extension[1:]}"}] if generation else []
        contacts = [
            {
                "name": _person(rng),
                "title": rng.choice(TITLES),
                "phone": f"010-{rng.randint(50000000, 89999999)}" if i == 0
                         else f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                "email": f"{'compliance' if i == 0 else 'legal'}@{domain}",
                "is_primary": i == 0,
            }
            for i in range(rng.randint(1, 2))
        ]
        records.append({
            "fields": fields,
            "children": {
                "services": services,
                "algorithm_filings": algorithm_filings,
                "genai_filings": genai_filings,
                "provider_codes": provider_codes,
                "contacts": contacts,
            },
        })
    return records


def seed_enterprises(*, rng: random.Random, count: int = DEMO_COUNT) -> list[Enterprise]:
    """Create the demo registry through the services (audited as demo data)."""
    return [
        enterprise_create(actor=None, fields=r["fields"], children=r["children"], note="seed_demo")
        for r in generate_enterprises(rng=rng, count=count)
    ]


# (username, role, display name); enterprise users are bound in seed_users.
DEMO_STAFF = [
    ("inspector", Role.INSPECTOR, "王建国"),
    ("inspector2", Role.INSPECTOR, "刘晓东"),
    ("inspector3", Role.INSPECTOR, "孙丽华"),
    ("inspector4", Role.INSPECTOR, "郑海涛"),
    ("supervisor", Role.SUPERVISOR, "陈志明"),
    ("analyst", Role.ANALYST, "赵雅琪"),
    ("admin", Role.ADMIN, "管理员"),
]
DEMO_ENTERPRISE_USERS = [("qiye", 0, "李合规"), ("qiye2", 1, "周法务")]


def seed_users(*, enterprises: list[Enterprise], password: str = DEMO_PASSWORD) -> list:
    """Create (or reset) one demo account per role and two enterprise users."""
    User = get_user_model()
    users = []
    accounts = [(u, r, n, None) for u, r, n in DEMO_STAFF] + [
        (u, Role.ENTERPRISE, n, enterprises[i]) for u, i, n in DEMO_ENTERPRISE_USERS
    ]
    for username, role, display, enterprise in accounts:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.enterprise = enterprise
        user.first_name = display
        user.email = f"{username}@labelwatch.example"
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.set_password(password)
        user.save()
        users.append(user)
    return users


def demo_logins() -> list[tuple[str, str, str, str]]:
    """(username, role, enterprise, password) of the demo accounts that exist."""
    User = get_user_model()
    names = [u for u, _r, _n in DEMO_STAFF] + [u for u, _i, _n in DEMO_ENTERPRISE_USERS]
    found = {u.username: u for u in User.objects.filter(username__in=names).select_related("enterprise")}
    return [
        (n, str(found[n].get_role_display()), getattr(found[n].enterprise, "name", ""),
         DEMO_PASSWORD)
        for n in names
        if n in found
    ]


def seed_step(ctx: dict) -> None:
    """
    The registry's step in seed_demo (registered in apps.py): enterprises
    (ctx["enterprise_count"] of them, DEMO_COUNT unless set), then the demo
    accounts. Leaves ctx["enterprises"] (a list),
    ctx["users"] (username -> User) and ctx["inspectors"] (a list).
    """
    ctx["enterprises"] = seed_enterprises(rng=ctx["rng"],
                                          count=ctx.get("enterprise_count", DEMO_COUNT))
    users = seed_users(enterprises=ctx["enterprises"])
    ctx["users"] = {user.username: user for user in users}
    ctx["inspectors"] = [user for user in users if user.role == Role.INSPECTOR]


def demo_contact_account(enterprise: Enterprise):
    """
    The enterprise's compliance contact account for demo data written on the
    enterprise's behalf (acknowledgements, reports, extension requests):
    an existing enterprise user, else a new one named after the primary
    contact, without a usable password (the demo logins are qiye and qiye2).
    """
    User = get_user_model()
    existing = User.objects.filter(
        role=Role.ENTERPRISE, enterprise=enterprise, is_active=True
    ).order_by("pk").first()
    if existing is not None:
        return existing
    contact = enterprise.contacts.order_by("-is_primary", "pk").first()
    user = User(
        username=f"qy{enterprise.pk:04d}", role=Role.ENTERPRISE, enterprise=enterprise,
        first_name=contact.name if contact else "合规联系人",
        # Fictional people at real-looking domains: demo mail stays on the example domain.
        email=f"qy{enterprise.pk:04d}@labelwatch.example", phone=contact.phone if contact else "",
    )
    user.set_unusable_password()
    user.save()
    return user
